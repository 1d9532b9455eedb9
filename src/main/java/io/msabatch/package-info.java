/**
 * msa-batch: one MSA file per protein sequence from the OpenProtein.AI jobs API.
 *
 * <p>Packages and the one direction their imports run (a package may import only those to its right):
 * <pre>
 *   cli → job → report → poll → submit → run → api, input → ledger, quality → output
 * </pre>
 * {@code job} wires the Spring Batch flow; each step feature ({@code submit}, {@code poll}, {@code report}) builds its
 * own step beside its classes; {@code run} is what one execution is (identity, folders, stop signal, settings, exit
 * codes); {@code api} is the OpenProtein client and never imports the {@code emulator}, which only {@code cli} and
 * {@code job} start. {@code ArchitectureTests} checks this rule.
 */
package io.msabatch;
