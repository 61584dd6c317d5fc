// The float nn op family: conv, matmul/gemm, pooling (one file each; registered on import).
import './nn-conv.ts';
import './nn-matmul.ts';
import './nn-pool.ts';
