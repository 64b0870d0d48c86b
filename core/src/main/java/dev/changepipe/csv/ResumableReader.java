package dev.changepipe.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * The characters of a landed file as the CSV parser reads them, keeping those of the lines the parser
 * has not finished with, so that reading can go on at the line after a record the parser cannot read
 * (FastCSV cannot resynchronise by itself) without reading the file twice.
 *
 * <p>Lines are counted as FastCSV counts them: CR, LF and CRLF each end a line, inside quotes too.
 */
final class ResumableReader extends Reader {
    private static final int COMPACT_AT = 1 << 16;

    private final Reader in;
    /** Characters to hand out before reading on from {@code in}: what the parser had read beyond a broken record. */
    private final StringBuilder pending = new StringBuilder();
    private int pendingAt;
    /** Characters handed out; {@code kept.charAt(0)} is at offset {@code keptBase} of what was handed out. */
    private final StringBuilder kept = new StringBuilder();
    private long keptBase;
    /** The first line the parser may still need, and the offset where it starts. */
    private long keptLine = 1;
    private long keptLineStart;
    /** Offsets where the lines after {@code keptLine} start, in order. */
    private final ArrayDeque<Long> lineStarts = new ArrayDeque<>();
    private boolean afterCr;

    ResumableReader(Reader in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        if (pendingAt < pending.length()) {
            n = Math.min(length, pending.length() - pendingAt);
            pending.getChars(pendingAt, pendingAt + n, buffer, offset);
            pendingAt += n;
        } else {
            n = in.read(buffer, offset, length);
            if (n <= 0) {
                return n;
            }
        }
        long at = keptBase + kept.length();
        kept.append(buffer, offset, n);
        for (int i = 0; i < n; i++) {
            char c = buffer[offset + i];
            long next = at + i + 1;
            if (c == '\r') {
                lineStarts.addLast(next);
                afterCr = true;
            } else if (c == '\n') {
                if (!afterCr) {
                    lineStarts.addLast(next);
                } else if (!lineStarts.isEmpty() && lineStarts.peekLast() == next - 1) {
                    // CRLF is one line break: the line starts after the LF, not after the CR.
                    lineStarts.pollLast();
                    lineStarts.addLast(next);
                } else if (keptLineStart == next - 1) {
                    keptLineStart = next;
                }
                afterCr = false;
            } else {
                afterCr = false;
            }
        }
        return n;
    }

    /** The parser is done with the lines before {@code line}: they need not be kept. */
    void release(long line) {
        while (keptLine < line && !lineStarts.isEmpty()) {
            keptLineStart = lineStarts.pollFirst();
            keptLine++;
        }
        int done = (int) (keptLineStart - keptBase);
        if (done > COMPACT_AT && done > kept.length() / 2) {
            kept.delete(0, done);
            keptBase = keptLineStart;
        }
    }

    /**
     * Goes on at the start of line {@code line + 1}: what the parser had read beyond it is handed out
     * again. Returns the text of line {@code line}, without its line break.
     */
    String resumeAfter(long line) throws IOException {
        release(line);
        if (keptLine != line) {
            throw new IllegalStateException("line " + line + " is no longer kept (first kept: " + keptLine + ")");
        }
        int start = (int) (keptLineStart - keptBase);
        StringBuilder text = new StringBuilder();
        String rest;
        boolean endedWithCr;
        Long next = lineStarts.peekFirst();
        if (next != null) {
            int end = (int) (next - keptBase);
            text.append(kept, start, end);
            rest = kept.substring(end);
            endedWithCr = rest.isEmpty() && afterCr;
        } else {
            // The parser stopped inside the line: read on to its end.
            text.append(kept, start, kept.length());
            rest = "";
            int c;
            while ((c = readOne()) >= 0 && c != '\r' && c != '\n') {
                text.append((char) c);
            }
            endedWithCr = c == '\r';
        }
        if (endedWithCr) {
            int c = readOne();
            if (c >= 0 && c != '\n') {
                rest = (char) c + rest;
            }
        }
        pending.replace(0, pendingAt, "").insert(0, rest);
        pendingAt = 0;
        kept.setLength(0);
        keptBase = 0;
        keptLine = line + 1;
        keptLineStart = 0;
        lineStarts.clear();
        afterCr = false;
        int length = text.length();
        while (length > 0 && (text.charAt(length - 1) == '\n' || text.charAt(length - 1) == '\r')) {
            length--;
        }
        return text.substring(0, length);
    }

    /** One character that is not handed out to the parser (nor kept), or -1 at the end. */
    private int readOne() throws IOException {
        if (pendingAt < pending.length()) {
            return pending.charAt(pendingAt++);
        }
        return in.read();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
