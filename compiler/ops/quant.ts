// Filled in by the quant op family.
export {};
