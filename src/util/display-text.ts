// Defined beside the errors that print it (errors.ts is the lowest layer); here for util's readers.
export { displayText } from '../errors.js';
