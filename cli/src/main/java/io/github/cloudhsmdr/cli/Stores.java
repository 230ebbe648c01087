package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.aws.AwsBackupStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Opens the {@link AwsBackupStore} a command talks to. Without {@code --profile}, calls to a loopback endpoint (an
 * emulator on this machine) are signed with fixed dummy credentials, and every other call uses the SDK's default
 * credentials chain.
 */
final class Stores {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private Stores() {
    }

    /**
     * @param endpoint    every call goes there, or {@code null} for the SDK's endpoint of each region
     * @param profile     the credentials profile, or {@code null}
     * @param callTimeout longest time one call may take
     * @return a new store; the caller closes it
     */
    static AwsBackupStore open(URI endpoint, String profile, Duration callTimeout) {
        AwsBackupStore.Builder b = AwsBackupStore.builder().apiCallTimeout(callTimeout);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (profile != null) {
            b.credentialsProvider(ProfileCredentialsProvider.create(profile));
        } else if (endpoint != null && LOOPBACK.contains(endpoint.getHost().toLowerCase(Locale.ROOT))) {
            b.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "emulator-secret")));
        }
        return b.build();
    }
}
