package dev.changepipe.cli.bench;

import dev.changepipe.cli.QueryEndpoint;
import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.cli.dashboard.OpenPage;
import dev.changepipe.engine.Engine;
import dev.changepipe.spec.PipelineSpec;
import java.io.IOException;
import java.time.Clock;

/**
 * The dashboard served during a latency run, as {@code run} serves it, with one page open on it: what
 * {@code bench --dashboard-page} adds, so that the latency with and without it gives the dashboard's cost.
 */
record DashboardWithPage(LivePipeline live, QueryEndpoint endpoint, OpenPage page) implements AutoCloseable {

    static DashboardWithPage open(PipelineSpec spec, Engine engine) throws IOException, InterruptedException {
        LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
        QueryEndpoint endpoint = null;
        try {
            endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
            return new DashboardWithPage(live, endpoint, OpenPage.open(endpoint.dashboardLink()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            live.close();
            throw e;
        }
    }

    @Override
    public void close() {
        page.close();
        endpoint.close();
        live.close();
    }
}
