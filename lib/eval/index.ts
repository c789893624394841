// Evaluation you can trust: bootstrap intervals, paired tests, calibration, attributions, behavioural tests, bias.
export * from "./bootstrap";
export * from "./metric-intervals";
export * from "./mcnemar";
export * from "./paired-bootstrap";
export * from "./calibration";
export * from "./temperature";
