// ONNX importers of the quant op family.
export {};
