/**
 * What one execution is: its identity and folders ({@link io.msabatch.run.RunContext}), its stop signal, the pipeline
 * settings, exit codes and the fatal-error type. Every step may import this package; it imports no step.
 */
package io.msabatch.run;
