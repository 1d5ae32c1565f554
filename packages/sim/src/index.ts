export * from "./models/scripted-path.js";
export * from "./replay/replay-route.js";
export * from "./route/open-route.js";
