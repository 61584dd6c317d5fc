// ONNX importers of the shape op family.
export {};
