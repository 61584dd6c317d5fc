// ONNX Runtime's com.microsoft quantized contrib ops (side-effect imports; one file per op group).
import './contrib-binary.ts';
import './contrib-lut.ts';
import './contrib-pool.ts';
import './contrib-concat.ts';
import './contrib-softmax.ts';
import './contrib-reduce.ts';
import './contrib-qgemm.ts';
