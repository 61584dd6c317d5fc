// Registers every op family's ONNX importers (side-effect imports; one file per family).
import './quant.ts';
import './qlinear.ts';
import './nn.ts';
import './elementwise.ts';
import './shape.ts';
import './constant.ts';
import './contrib.ts';
import './float-extra.ts';
