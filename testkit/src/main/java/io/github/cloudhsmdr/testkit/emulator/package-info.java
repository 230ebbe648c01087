/**
 * An HTTP emulator of the AWS CloudHSM v2 control-plane API for tests, demos and benchmarks.
 *
 * <p>{@link io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator} serves the AWS JSON 1.1 protocol on loopback
 * from a {@link io.github.cloudhsmdr.testkit.CloudHsmModel}, so real {@code CloudHsmV2Client}s (any region, one
 * port) run against it unchanged. Around it: {@link io.github.cloudhsmdr.testkit.emulator.AccessPolicy} (an
 * IAM identity policy, evaluated like IAM), {@link io.github.cloudhsmdr.testkit.emulator.RequestLog},
 * {@link io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulatorExtension} (JUnit 5),
 * {@link io.github.cloudhsmdr.testkit.emulator.EmulatorMain} (standalone process) and
 * {@link io.github.cloudhsmdr.testkit.emulator.DemoData}. Fault injection is
 * {@link io.github.cloudhsmdr.testkit.FaultInjector}; a per-region rate limit (token buckets answering
 * {@code ThrottlingException}) is set on the emulator's builder or at runtime.
 *
 * <pre>{@code
 * try (CloudHsmEmulator emulator = CloudHsmEmulator.builder().clock(clock).seed(7).start();
 *      CloudHsmV2Client east = emulator.clientBuilder("us-east-1").build()) {
 *     emulator.model().addBackup("us-east-1", "cluster-abcdefghijk", clock.instant());
 *     emulator.faults().throttle("CopyBackupToRegion", FaultInjector.ANY, 0.2);
 *     ...
 * }
 * }</pre>
 */
package io.github.cloudhsmdr.testkit.emulator;
