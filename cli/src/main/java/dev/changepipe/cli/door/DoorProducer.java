package dev.changepipe.cli.door;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.BasicFlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The SQL door's Flight SQL service: statements and prepared statements (what the JDBC driver uses) run through
 * {@link Engine#queryArrow}, read-only; the catalog calls a browser makes (tables with their columns, table types,
 * SQL info; no catalogs, schemas or keys); every write refused.
 */
final class DoorProducer extends BasicFlightSqlProducer {
    private static final String READ_ONLY = "the SQL door is read-only: changepipe's tasks alone write the tables";

    /** A prepared statement: its text, and the result its preparation computed (for the schema) until executed once. */
    private record Prepared(String sql, AtomicReference<byte[]> firstResult) {}

    private final Engine engine;
    private final BufferAllocator allocator;
    private final DoorResults results;
    private final DoorCatalog catalog;
    private final SqlInfoBuilder sqlInfo;
    private final Map<ByteString, Prepared> prepared = new ConcurrentHashMap<>();

    DoorProducer(Engine engine, BufferAllocator allocator, DoorResults results, DoorCatalog catalog, String version) {
        this.engine = engine;
        this.allocator = allocator;
        this.results = results;
        this.catalog = catalog;
        this.sqlInfo = new SqlInfoBuilder()
                .withFlightSqlServerName("changepipe")
                .withFlightSqlServerVersion(version)
                .withFlightSqlServerArrowVersion("19.0.0")
                .withFlightSqlServerReadOnly(true)
                .withFlightSqlServerSql(true)
                .withFlightSqlServerSubstrait(false)
                .withFlightSqlServerTransaction(FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
                .withSqlIdentifierQuoteChar("\"")
                .withSqlQuotedIdentifierCase(FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
                .withSqlIdentifierCase(FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
                .withSqlTransactionsSupported(false);
    }

    // Statements.

    @Override
    public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        return resultInfo(open(command.getQuery()), descriptor);
    }

    @Override
    public SchemaResult getSchemaStatement(FlightSql.CommandStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        try (ArrowReader reader = open(command.getQuery())) {
            return new SchemaResult(reader.getVectorSchemaRoot().getSchema());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
        ArrowReader reader = results.take(ticket.getStatementHandle().toByteArray());
        if (reader == null) {
            listener.error(CallStatus.NOT_FOUND.withDescription("no such result: it was fetched already, or not within "
                    + DoorResults.UNCLAIMED.toSeconds() + " s").toRuntimeException());
            return;
        }
        stream(reader, listener);
    }

    // Prepared statements: the Flight SQL JDBC driver runs every statement as one.

    @Override
    public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        try {
            ArrowReader reader = open(request.getQuery());
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            ByteString handle = ByteString.copyFrom(UUID.randomUUID().toString(), StandardCharsets.US_ASCII);
            prepared.put(handle, new Prepared(request.getQuery(), new AtomicReference<>(results.keep(reader))));
            FlightSql.ActionCreatePreparedStatementResult result = FlightSql.ActionCreatePreparedStatementResult.newBuilder()
                    .setPreparedStatementHandle(handle)
                    .setDatasetSchema(ByteString.copyFrom(schema.serializeAsMessage()))
                    .build();
            listener.onNext(new Result(Any.pack(result).toByteArray()));
            listener.onCompleted();
        } catch (RuntimeException | IOException e) {
            listener.onError(failed(e));
        }
    }

    @Override
    public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        Prepared statement = prepared(command.getPreparedStatementHandle());
        byte[] first = statement.firstResult().getAndSet(null);
        if (first != null) {
            ArrowReader reader = results.take(first);
            if (reader != null) {
                return resultInfo(reader, descriptor);
            }
        }
        return resultInfo(open(statement.sql()), descriptor);
    }

    @Override
    public SchemaResult getSchemaPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            FlightDescriptor descriptor) {
        try (ArrowReader reader = open(prepared(command.getPreparedStatementHandle()).sql())) {
            return new SchemaResult(reader.getVectorSchemaRoot().getSchema());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            ServerStreamListener listener) {
        try {
            stream(open(prepared(command.getPreparedStatementHandle()).sql()), listener);
        } catch (RuntimeException e) {
            listener.error(failed(e));
        }
    }

    @Override
    public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request, CallContext context,
            StreamListener<Result> listener) {
        Prepared statement = prepared.remove(request.getPreparedStatementHandle());
        if (statement != null) {
            byte[] first = statement.firstResult().getAndSet(null);
            ArrowReader unused = first == null ? null : results.take(first);
            if (unused != null) {
                DoorResults.closeQuietly(unused);
            }
        }
        listener.onCompleted();
    }

    // Writes: refused, whatever the way in.

    @Override
    public Runnable acceptPutStatement(FlightSql.CommandStatementUpdate command, CallContext context, FlightStream flightStream,
            StreamListener<PutResult> ackStream) {
        return refuse(ackStream, READ_ONLY);
    }

    @Override
    public Runnable acceptPutPreparedStatementUpdate(FlightSql.CommandPreparedStatementUpdate command, CallContext context,
            FlightStream flightStream, StreamListener<PutResult> ackStream) {
        return refuse(ackStream, READ_ONLY);
    }

    @Override
    public Runnable acceptPutStatementBulkIngest(FlightSql.CommandStatementIngest command, CallContext context,
            FlightStream flightStream, StreamListener<PutResult> ackStream) {
        return refuse(ackStream, READ_ONLY);
    }

    @Override
    public Runnable acceptPutSubstraitPlan(FlightSql.CommandStatementSubstraitPlan command, CallContext context,
            FlightStream flightStream, StreamListener<PutResult> ackStream) {
        return refuse(ackStream, READ_ONLY);
    }

    @Override
    public Runnable acceptPutPreparedStatementQuery(FlightSql.CommandPreparedStatementQuery command, CallContext context,
            FlightStream flightStream, StreamListener<PutResult> ackStream) {
        // Binding parameters: the statements the door runs have none (values are written into the SQL).
        return refuse(ackStream, "the SQL door takes no bound parameters; write the values into the statement");
    }

    // The catalog.

    @Override
    protected <T extends Message> List<FlightEndpoint> determineEndpoints(T request, FlightDescriptor descriptor, Schema schema) {
        return List.of(new FlightEndpoint(new Ticket(Any.pack(request).toByteArray())));
    }

    @Override
    public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
        sqlInfo.send(command.getInfoList(), listener);
    }

    @Override
    public void getStreamTypeInfo(FlightSql.CommandGetXdbcTypeInfo request, CallContext context, ServerStreamListener listener) {
        empty(Schemas.GET_TYPE_INFO_SCHEMA, listener);
    }

    @Override
    public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
        empty(Schemas.GET_CATALOGS_SCHEMA, listener);
    }

    @Override
    public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
        empty(Schemas.GET_SCHEMAS_SCHEMA, listener);
    }

    @Override
    public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(Schemas.GET_TABLE_TYPES_SCHEMA, allocator)) {
            root.allocateNew();
            ((VarCharVector) root.getVector("table_type")).setSafe(0, DoorCatalog.TABLE_TYPE.getBytes(StandardCharsets.UTF_8));
            root.setRowCount(1);
            send(root, listener);
        }
    }

    @Override
    public void getStreamTables(FlightSql.CommandGetTables command, CallContext context, ServerStreamListener listener) {
        boolean tablesWanted = command.getTableTypesCount() == 0
                || command.getTableTypesList().stream().anyMatch(DoorCatalog.TABLE_TYPE::equalsIgnoreCase);
        // The tables have no catalog and no schema: a filter that asks for one matches none of them.
        boolean placeMatches = (!command.hasCatalog() || command.getCatalog().isEmpty())
                && (!command.hasDbSchemaFilterPattern() || command.getDbSchemaFilterPattern().isEmpty()
                        || command.getDbSchemaFilterPattern().equals("%"));
        List<String> tables = tablesWanted && placeMatches
                ? catalog.tables(command.hasTableNameFilterPattern() ? command.getTableNameFilterPattern() : null)
                : List.of();
        Schema schema = command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.allocateNew();
            VarCharVector names = (VarCharVector) root.getVector("table_name");
            VarCharVector types = (VarCharVector) root.getVector("table_type");
            for (int i = 0; i < tables.size(); i++) {
                root.getVector("catalog_name").setNull(i);
                root.getVector("db_schema_name").setNull(i);
                names.setSafe(i, tables.get(i).getBytes(StandardCharsets.UTF_8));
                types.setSafe(i, DoorCatalog.TABLE_TYPE.getBytes(StandardCharsets.UTF_8));
                if (command.getIncludeSchema()) {
                    ((VarBinaryVector) root.getVector("table_schema")).setSafe(i,
                            catalog.schema(tables.get(i), allocator).serializeAsMessage());
                }
            }
            root.setRowCount(tables.size());
            send(root, listener);
        } catch (RuntimeException | IOException e) {
            listener.error(failed(e));
        }
    }

    @Override
    public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
        empty(Schemas.GET_PRIMARY_KEYS_SCHEMA, listener);
    }

    @Override
    public void getStreamExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
            ServerStreamListener listener) {
        empty(Schemas.GET_EXPORTED_KEYS_SCHEMA, listener);
    }

    @Override
    public void getStreamImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
            ServerStreamListener listener) {
        empty(Schemas.GET_IMPORTED_KEYS_SCHEMA, listener);
    }

    @Override
    public void getStreamCrossReference(FlightSql.CommandGetCrossReference command, CallContext context,
            ServerStreamListener listener) {
        empty(Schemas.GET_CROSS_REFERENCE_SCHEMA, listener);
    }

    @Override
    public void close() {
        prepared.clear();
    }

    // The plumbing.

    private ArrowReader open(String sql) {
        try {
            return engine.queryArrow(sql, allocator);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private FlightInfo resultInfo(ArrowReader reader, FlightDescriptor descriptor) {
        Schema schema;
        try {
            schema = reader.getVectorSchemaRoot().getSchema();
        } catch (IOException | RuntimeException e) {
            DoorResults.closeQuietly(reader);
            throw failed(e);
        }
        FlightSql.TicketStatementQuery ticket = FlightSql.TicketStatementQuery.newBuilder()
                .setStatementHandle(ByteString.copyFrom(results.keep(reader)))
                .build();
        return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(new Ticket(Any.pack(ticket).toByteArray()))),
                -1, -1);
    }

    private Prepared prepared(ByteString handle) {
        Prepared statement = prepared.get(handle);
        if (statement == null) {
            throw CallStatus.NOT_FOUND.withDescription("no such prepared statement").toRuntimeException();
        }
        return statement;
    }

    private static void stream(ArrowReader reader, ServerStreamListener listener) {
        try (reader) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            listener.start(root);
            // putNext writes the batch out before it returns, so the reader may refill the same vectors.
            while (!listener.isCancelled() && reader.loadNextBatch()) {
                listener.putNext();
            }
            listener.completed();
        } catch (IOException | RuntimeException e) {
            listener.error(failed(e));
        }
    }

    private void empty(Schema schema, ServerStreamListener listener) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.setRowCount(0);
            send(root, listener);
        }
    }

    private static void send(VectorSchemaRoot root, ServerStreamListener listener) {
        listener.start(root);
        listener.putNext();
        listener.completed();
    }

    private static Runnable refuse(StreamListener<PutResult> ackStream, String why) {
        return () -> ackStream.onError(CallStatus.INVALID_ARGUMENT.withDescription(why).toRuntimeException());
    }

    /** A user's mistake (SQL that does not parse, a write) as INVALID_ARGUMENT with its one line; anything else INTERNAL. */
    private static RuntimeException failed(Throwable e) {
        if (e instanceof org.apache.arrow.flight.FlightRuntimeException f) {
            return f;
        }
        if (e instanceof ChangepipeException c && c.category() == dev.changepipe.error.ErrorCategory.USER_ERROR) {
            return CallStatus.INVALID_ARGUMENT.withDescription(c.getMessage()).toRuntimeException();
        }
        return CallStatus.INTERNAL.withDescription(ChangepipeException.firstLine(String.valueOf(e.getMessage())))
                .withCause(e).toRuntimeException();
    }
}
