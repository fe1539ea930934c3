package uk.anprhub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import uk.anprhub.simulator.camera.CameraSimCommand;
import uk.anprhub.simulator.nas.NasSimCommand;

/**
 * {@code bin/anpr-hub <command>}: one picocli command per subcommand of the contract. Adding a command is one
 * class with {@code @Command} plus one line in {@code subcommands} below.
 */
@Command(name = "anpr-hub", mixinStandardHelpOptions = true, version = "anpr-hub 0.1",
        description = "ANPR Hub: the force's management server between ANPR cameras and the National ANPR Service.",
        subcommands = {RunCommand.class, NormaliseCommand.class, CameraSimCommand.class, HashPasswordCommand.class,
                NasSimCommand.class, ReplayCommand.class, AuditCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Launcher implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Launcher()).execute(args);
        if (code != 0 || !RunCommand.started) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
