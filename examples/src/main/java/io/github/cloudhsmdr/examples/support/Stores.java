package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.aws.AwsBackupStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Opens the {@link AwsBackupStore} the example programs talk to, from the {@code endpoint} and {@code profile}
 * settings.
 *
 * <ul>
 *   <li>No endpoint: the SDK's endpoint for each region.</li>
 *   <li>An endpoint: every call goes there (an emulator, or a VPC endpoint), still signed for its region.</li>
 *   <li>A profile: credentials from that profile of the AWS config and credentials files.</li>
 *   <li>No profile: the SDK's default credentials provider chain, except for a loopback endpoint (an
 *       emulator on this machine), which gets fixed dummy credentials so no AWS credentials are needed.</li>
 * </ul>
 */
public final class Stores {
    /** Key of the endpoint override. */
    public static final String ENDPOINT = "endpoint";
    /** Key of the credentials profile. */
    public static final String PROFILE = "profile";

    private static final AwsCredentialsProvider EMULATOR_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "emulator-secret"));

    private Stores() {
    }

    /**
     * @return a new store built from the {@link #ENDPOINT} and {@link #PROFILE} settings; the caller closes it
     * @throws ConfigurationException when the endpoint is not an http(s) URL
     */
    public static AwsBackupStore open(Settings settings) {
        return open(settings.url(ENDPOINT), settings.optional(PROFILE));
    }

    /** @return a new store for {@code endpoint} (or the SDK's endpoints) with the credentials described above. */
    public static AwsBackupStore open(Optional<URI> endpoint, Optional<String> profile) {
        AwsBackupStore.Builder b = AwsBackupStore.builder();
        endpoint.ifPresent(b::endpointOverride);
        if (profile.isPresent()) {
            b.credentialsProvider(ProfileCredentialsProvider.create(profile.get()));
        } else if (endpoint.isPresent() && isLoopback(endpoint.get())) {
            b.credentialsProvider(EMULATOR_CREDENTIALS);
        }
        return b.build();
    }

    /** @return true when {@code uri}'s host is this machine ({@code localhost}, {@code 127.x.x.x}, {@code ::1}). */
    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: do not resolve it here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
