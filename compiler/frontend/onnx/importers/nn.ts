// ONNX importers of the nn op family.
export {};
