export * from "./statistics/wilson-interval.js";
