// The elementwise op family: registers its op kinds (one file per sub-family).
import './elementwise-binary.ts';
import './activations.ts';
import './softmax.ts';
import './cast.ts';
import './elementwise-reduce.ts';
