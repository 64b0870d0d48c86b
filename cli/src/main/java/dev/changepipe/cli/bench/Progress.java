package dev.changepipe.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Progress bars for the benchmark's phases. On a terminal a bar is redrawn in place a few times a second
 * from a background thread, so the measured work never waits for the display; elsewhere (a pipe, a test)
 * only the closing line of each phase is printed.
 */
final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_MS = 200;

    private final PrintWriter out;
    private final boolean live;

    Progress(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** A phase that counts {@code total} {@code unit}s; advance it as they are done. */
    Phase start(String label, long total, String unit) {
        return new Phase(label, total, unit, null);
    }

    /** A phase whose progress is a fraction in [0, 1] (or negative when unknown), read from {@code fraction}. */
    Phase start(String label, DoubleSupplier fraction) {
        return new Phase(label, 0, null, fraction);
    }

    final class Phase implements AutoCloseable {
        private final String label;
        private final long total;
        private final String unit;
        private final DoubleSupplier fraction;
        private final AtomicLong done = new AtomicLong();
        private final long startedNanos = System.nanoTime();
        private final Thread painter;
        private volatile boolean finished;
        private String outcome = "";

        private Phase(String label, long total, String unit, DoubleSupplier fraction) {
            this.label = label;
            this.total = total;
            this.unit = unit;
            this.fraction = fraction;
            if (live) {
                painter = new Thread(this::paintUntilFinished, "bench-progress");
                painter.setDaemon(true);
                painter.start();
            } else {
                painter = null;
            }
        }

        void advance(long n) {
            done.addAndGet(n);
        }

        void set(long value) {
            done.set(value);
        }

        /** A few words printed after the elapsed time when the phase ends, e.g. "1,000,000 rows/s". */
        void outcome(String text) {
            outcome = text;
        }

        private void paintUntilFinished() {
            while (!finished) {
                synchronized (out) {
                    out.print("\r" + line(false));
                    out.flush();
                }
                try {
                    Thread.sleep(REDRAW_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private String line(boolean closing) {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            double share = closing ? 1 : share();
            StringBuilder bar = new StringBuilder("  ").append(pad(label, 42)).append(" [");
            if (share >= 0) {
                int filled = (int) Math.round(Math.min(1, share) * WIDTH);
                bar.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                        .append(String.format(Locale.ROOT, "%3d%%", Math.round(Math.min(1, share) * 100)));
            } else {
                // Unknown progress: a marker that moves, so a long statement is visibly alive.
                int at = (int) ((System.nanoTime() - startedNanos) / (REDRAW_MS * 1_000_000)) % WIDTH;
                bar.append(".".repeat(at)).append('#').append(".".repeat(WIDTH - at - 1)).append("]     ");
            }
            bar.append(String.format(Locale.ROOT, " %6.1f s", seconds));
            if (unit != null && total > 0) {
                bar.append(String.format(Locale.ROOT, "  %,d/%,d %s", closing ? total : done.get(), total, unit));
            }
            if (closing && !outcome.isEmpty()) {
                bar.append("  ").append(outcome);
            }
            return bar + "   ";
        }

        private double share() {
            if (fraction != null) {
                return fraction.getAsDouble();
            }
            return total > 0 ? (double) done.get() / total : -1;
        }

        @Override
        public void close() {
            finished = true;
            if (painter != null) {
                painter.interrupt();
                try {
                    painter.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (out) {
                out.println((live ? "\r" : "") + line(true));
                out.flush();
            }
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
