package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.settings.InvalidSettingException;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.spi.BackupStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What every command does around its work: the common options, logging level, the deadline, the JSON envelope or
 * the text for people, and turning failures into exit codes and one message on standard error.
 */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    CloudHsmDr root;

    @Mixin
    CommonOptions common;

    private Instant startedAt;
    private Progress progress;

    /**
     * Does the command's work.
     *
     * @return the exit code
     */
    abstract int execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        Context ctx = root.context();
        startedAt = ctx.clock().instant();
        boolean show = common.verbosity() >= 1 || common.verbosity() == 0 && (common.progress
                == CommonOptions.ProgressMode.always || common.progress == CommonOptions.ProgressMode.auto
                && ctx.terminal());
        if (show && common.progress != CommonOptions.ProgressMode.never) {
            progress = new Progress(err(), ctx.clock(), startedAt, common.verbosity() >= 1);
        }
        try {
            return common.deadline == null ? execute() : withinDeadline(common.deadline);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return failed(e.getMessage());
        }
    }

    private int withinDeadline(Duration deadline) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cloudhsm-dr-" + name());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Integer> f = executor.submit(this::execute);
            try {
                return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                return failed("the deadline of " + Text.duration(deadline) + " (--deadline) passed before the "
                        + "command finished; copies already started go on in AWS and the next run finds them");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** @return the command's name, e.g. {@code replicate} */
    final String name() {
        return spec.name();
    }

    final Context context() {
        return root.context();
    }

    final Instant now() {
        return context().clock().instant();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** @return the progress reporter, or {@code null} when progress is off */
    final Progress progress() {
        return progress;
    }

    /** @return a new store for the connection options */
    final AwsBackupStore openStore() {
        return Stores.open(common.endpointUrl, common.profile, common.timeout);
    }

    /** Work with a replicator and its store. */
    @FunctionalInterface
    interface ReplicatorWork {
        /**
         * @return the exit code
         */
        int run(BackupReplicator replicator, BackupStore store);
    }

    /**
     * Opens a store for the connection options, builds the replicator on it, does {@code work} and closes both.
     *
     * @return the exit code of {@code work}
     */
    final int withReplicator(ReplicatorSettings settings, Duration waitForReady, ReplicatorWork work) {
        try (AwsBackupStore store = openStore();
             BackupReplicator r = replicator(settings, store, waitForReady)) {
            return work.run(r, store);
        }
    }

    /**
     * @param settings     the settings
     * @param store        the store
     * @param waitForReady the wait for READY; capped by {@code --deadline}
     * @return the replicator on the context's clock, with progress; with {@code -v} its concurrency limits are
     *         noted on standard error
     */
    private BackupReplicator replicator(ReplicatorSettings settings, BackupStore store, Duration waitForReady) {
        Sleeper sleeper = progress == null ? context().sleeper() : progress.reporting(context().sleeper());
        ReplicatorBuilder b = settings.applyTo(BackupReplicator.builder()).backupStore(store)
                .clock(context().clock()).sleeper(sleeper);
        if (common.deadline != null && waitForReady.compareTo(common.deadline) > 0) {
            b.waitForReady(common.deadline);
            note("waiting at most " + Text.duration(common.deadline) + " for READY, the --deadline");
        }
        if (progress != null) {
            b.listener(progress);
        }
        BackupReplicator replicator = b.build();
        if (common.verbosity() >= 1) {
            ReplicatorConfig c = replicator.config();
            note("replicator " + c.name() + ": max-concurrent-destinations " + c.maxConcurrentDestinations()
                    + ", max-concurrent-calls-per-region " + c.maxConcurrentCallsPerRegion());
        }
        return replicator;
    }

    /** @return a usage error (exit 64) of this command */
    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * A usage error for a value a builder of the library rejected: its message starts with the builder's field
     * name, which {@code options} maps to the option the value came from.
     *
     * @return the usage error, {@code --option: <the builder's message>}
     */
    final ParameterException usage(RuntimeException rejected, Map<String, String> options) {
        String message = String.valueOf(rejected.getMessage());
        String field = message.split("[ ']", 2)[0];
        return usage(options.getOrDefault(field, "--" + field) + ": " + message);
    }

    /** Checks {@code --subnets}: 1 to 10 subnet ids (each already checked by its converter). */
    final void requireSubnets(List<String> subnets) {
        if (subnets == null || subnets.isEmpty() || subnets.size() > 10) {
            throw usage("--subnets: " + (subnets == null || subnets.isEmpty() ? "is required: give"
                    : "has " + subnets.size() + " subnets: give") + " 1 to 10 subnet ids separated by commas, "
                    + "e.g. subnet-0a1b2c3d,subnet-4e5f6a7b");
        }
    }

    /** Writes a progress or information line on standard error, unless quiet. */
    final void note(String text) {
        if (progress != null) {
            progress.line(text);
        } else if (common.verbosity() >= 0) {
            err().println(text);
        }
    }

    /**
     * Prints the result: the JSON document with {@code --json}, else {@code text} unless {@code --quiet}.
     *
     * @param status the document's status
     * @param body   adds the command's fields to the document
     * @param text   the result for people
     */
    final void result(String status, Consumer<ObjectNode> body, String text) {
        if (common.json) {
            ObjectNode doc = Json.envelope(name(), status, startedAt, now(), null);
            body.accept(doc);
            out().println(Json.write(doc));
        } else if (common.verbosity() >= 0) {
            out().print(text);
        }
        out().flush();
    }

    /** Reports a failure of the command: a message on standard error (and a FAILED document with --json). */
    final int failed(String message) {
        err().println(CloudHsmDr.NAME + " " + name() + " failed: " + message);
        err().flush();
        if (common.json) {
            out().println(Json.write(Json.envelope(name(), "FAILED", startedAt, now(), message)));
            out().flush();
        }
        return ExitCodes.FAILED;
    }
}
