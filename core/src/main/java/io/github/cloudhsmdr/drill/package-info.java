/**
 * Restore drills: prove that a DR region can bring a cluster back from the newest READY copy, verify what the
 * CloudHSM API lets one verify without HSM credentials, measure the recovery time, and always tear the drill's
 * cluster down again. Entry point: {@link io.github.cloudhsmdr.drill.RestoreDrill}.
 */
package io.github.cloudhsmdr.drill;
