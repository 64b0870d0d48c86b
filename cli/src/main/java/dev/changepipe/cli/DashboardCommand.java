package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Print a new login link to the dashboard of the pipeline that runs on this warehouse.",
                "Each link opens the dashboard in one browser, once; the token never appears in it."})
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        PipelineSpec pipeline = spec.load();
        EndpointFile endpoint = EndpointFile.read(Warehouse.endpointFolder(pipeline)).orElseThrow(() -> ChangepipeException.user(
                "no pipeline runs on warehouse " + pipeline.engine().location() + "; the dashboard is served by changepipe run"));
        PrintWriter out = command.commandLine().getOut();
        out.println(new RemoteWarehouse(endpoint).dashboardLink());
        out.flush();
        return 0;
    }
}
