export { main, program, exitCodes } from "./program.js";
