package dev.changepipe.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The process that has a warehouse open, as far as this machine can tell: its PID and, when visible, its command. */
record WarehouseHolder(long pid, Optional<String> command) {
    private static final String MAIN_CLASS = Changepipe.class.getName();
    private static final int LONGEST_COMMAND = 200;

    /** The process {@code pid}; its command when the operating system shows it (same user, still alive). */
    static WarehouseHolder of(long pid) {
        Optional<String> command = ProcessHandle.of(pid).flatMap(h -> {
            ProcessHandle.Info info = h.info();
            return info.arguments().flatMap(WarehouseHolder::changepipeCommand).or(info::commandLine);
        });
        return new WarehouseHolder(pid, command.map(WarehouseHolder::abbreviated));
    }

    /** {@code process N (command)}, or {@code process N} when the command is not visible. */
    String describe() {
        return "process " + pid + command.map(c -> " (" + c + ")").orElse("");
    }

    /**
     * A changepipe JVM's arguments start with a class path of hundreds of jars; what says which command it is comes
     * after the main class or the jar, so that part is shown, as {@code changepipe <subcommand> …}.
     */
    private static Optional<String> changepipeCommand(String[] arguments) {
        for (int i = 0; i < arguments.length; i++) {
            boolean jar = i > 0 && arguments[i - 1].equals("-jar") && arguments[i].endsWith("changepipe.jar");
            if (arguments[i].equals(MAIN_CLASS) || jar) {
                List<String> command = new ArrayList<>(List.of("changepipe"));
                command.addAll(List.of(arguments).subList(i + 1, arguments.length));
                return Optional.of(String.join(" ", command));
            }
        }
        return Optional.empty();
    }

    /** Its start (the program) and its end (main class and arguments, usually) are what tell a process apart. */
    private static String abbreviated(String command) {
        if (command.length() <= LONGEST_COMMAND) {
            return command;
        }
        int half = LONGEST_COMMAND / 2;
        return command.substring(0, half) + " … " + command.substring(command.length() - half);
    }
}
