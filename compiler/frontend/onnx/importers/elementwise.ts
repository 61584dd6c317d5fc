// ONNX importers of the elementwise op family.
export {};
