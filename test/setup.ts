// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks (Node 22 has it).
import '../local/polyfills';
