// ONNX importers of the qlinear op family.
export {};
