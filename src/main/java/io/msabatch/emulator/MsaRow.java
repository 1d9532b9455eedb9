package io.msabatch.emulator;

/** One row of an MSA answer: a name (the seed is {@code 101}) and an A3M sequence. */
record MsaRow(String name, String sequence) {
}
