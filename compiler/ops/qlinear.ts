// Filled in by the qlinear op family.
export {};
