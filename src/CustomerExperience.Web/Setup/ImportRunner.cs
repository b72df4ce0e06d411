using System.Data.Common;
using CsvHelper;
using Hangfire;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

public sealed record PreviewRow(int Row, IReadOnlyList<string> Values, IReadOnlyList<RowProblem> Problems);

/// <summary>
/// Imports a stored file in batches, each in its own transaction together with the progress it makes, so a bad row
/// never costs the good ones and a job that restarts continues where the last commit left off. Customers are matched
/// as every other way in does (<see cref="CustomerIdentity"/>: email, date of birth and a compatible name), under the
/// same per-email lock as a booking; a match only gets blanks filled in and a later last visit, so importing a file
/// again changes nothing.
/// </summary>
public sealed partial class ImportRunner(AppDbContext db, ImportFiles files, Audit audit, IBackgroundJobClient jobs, TimeProvider clock, ILogger<ImportRunner> logger)
{
    public const int BatchSize = 1000;

    private sealed record Item(int Row, ImportRow? Parsed, List<RowProblem> Problems, string[] Values);

    public async Task<List<PreviewRow>> PreviewAsync(CustomerImport import, ImportMapping mapping, int rows, CancellationToken ct)
    {
        var preview = new List<PreviewRow>();
        var parser = new ImportRowReader(mapping, import.Headers, await TodayAsync(mapping, ct));
        await using var reader = files.OpenReader(import);
        while (preview.Count < rows && await reader.ReadAsync(ct))
        {
            var (_, problems) = parser.Read(reader);
            preview.Add(new PreviewRow(ImportRowReader.RowOf(reader), reader.Current.ToArray(), problems));
        }
        return preview;
    }

    public async Task RunAsync(Guid importId, CancellationToken ct)
    {
        var import = await db.CustomerImports.SingleOrDefaultAsync(i => i.Id == importId, ct);
        if (import is null || import.IsFinished || import.Mapping is null) return;
        var mapping = ImportMapping.FromJson(import.Mapping);
        try
        {
            if (import.Status == ImportStatus.Queued)
            {
                var total = 0;
                await using (var counter = files.OpenReader(import))
                    while (await counter.ReadAsync(ct)) total++;
                import.Begin(total, clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }

            var parser = new ImportRowReader(mapping, import.Headers, await TodayAsync(mapping, ct));
            var batch = new List<Item>(BatchSize);
            await using var reader = files.OpenReader(import);
            var skip = import.RowsDone;
            while (await reader.ReadAsync(ct))
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                var (row, problems) = parser.Read(reader);
                batch.Add(new Item(ImportRowReader.RowOf(reader), row, problems, row is null ? reader.Current.ToArray() : []));
                if (batch.Count == BatchSize)
                {
                    await SaveBatchAsync(importId, batch, mapping, ct);
                    batch.Clear();
                }
            }
            await SaveBatchAsync(importId, batch, mapping, ct);
        }
        catch (CsvHelper.CsvFormatException)
        {
            await FinishAsync(importId, "The file could not be read to its end: a quoted value seems never to be closed. Nothing after the last imported row was read.", ct);
            return;
        }
        await FinishAsync(importId, null, ct);
    }

    public async Task WriteRejectedAsync(CustomerImport import, Stream destination, CancellationToken ct)
    {
        // Injection escaped: admins open this in a spreadsheet, and the values came from outside.
        await using var writer = CsvWriter.Create(destination, new CsvWriterOptions { Injection = CsvInjection.Escape, ValidateFieldCount = false }, leaveOpen: true);
        await writer.WriteRecordAsync(["Row", "Column", "Reason", .. import.Headers], ct);
        await foreach (var rejection in db.CustomerImportRejections.AsNoTracking().Where(r => r.ImportId == import.Id).OrderBy(r => r.Row).AsAsyncEnumerable().WithCancellation(ct))
            await writer.WriteRecordAsync([rejection.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), rejection.Columns, rejection.Reasons, .. rejection.Values], ct);
        await writer.FlushAsync(ct);
    }

    private async Task FinishAsync(Guid importId, string? failure, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var import = await db.CustomerImports.SingleAsync(i => i.Id == importId, ct);
        if (failure is null) import.Complete(clock.GetUtcNow());
        else import.Fail(failure, clock.GetUtcNow());
        audit.RecordFor((import.UploadedById, import.UploadedByName), AuditActions.ImportFinished,
            $"Import {import.Id} {(failure is null ? "completed" : "stopped")}: {import.Imported:N0} new, {import.Updated:N0} updated, {import.Unchanged:N0} unchanged, {import.Rejected:N0} rejected of {import.TotalRows:N0} rows");
        await db.SaveChangesAsync(ct);
        await files.DeleteFileAsync(importId, ct);
        LogFinished(logger, importId, import.Status, import.RowsDone, import.Rejected);
    }

    /// <summary>The batch in one transaction; should the database refuse it, row by row, so only the row it refuses is lost.</summary>
    private async Task SaveBatchAsync(Guid importId, List<Item> batch, ImportMapping mapping, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        try
        {
            await WriteAsync(importId, batch, mapping, ct);
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            LogBatchRefused(logger, importId, batch[0].Row, e.GetType().Name);
            foreach (var item in batch)
            {
                try
                {
                    await WriteAsync(importId, [item], mapping, ct);
                }
                catch (Exception refusal) when (refusal is DbUpdateException or DbException)
                {
                    var refused = item with { Parsed = null, Problems = [new RowProblem("", "The database refused this row; check its values and import it again.")] };
                    await WriteAsync(importId, [refused], mapping, ct);
                }
            }
        }
    }

    private async Task WriteAsync(Guid importId, IReadOnlyList<Item> items, ImportMapping mapping, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var import = await db.CustomerImports.FromSql($"SELECT *, xmin FROM cx.customer_imports WHERE id = {importId} FOR UPDATE").SingleAsync(ct);
        var now = clock.GetUtcNow();
        var rows = items.Where(i => i.Parsed is not null).Select(i => i.Parsed!).ToList();
        var emails = rows.Select(r => Customer.Normalize(r.Details.Email!)).Distinct().ToArray();
        // The lock a booking takes for its email: a customer booking online meanwhile is not created twice.
        await db.Database.ExecuteSqlAsync(
            $"SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(e, 0) AS h FROM unnest({emails}) AS e ORDER BY h) AS locks", ct);
        // Read untracked and written in bulk (COPY for new rows, one UPDATE each for filled blanks and later visits):
        // tracking a thousand customers and their visits per batch was most of the import's time.
        var candidates = (await db.Customers.AsNoTracking().Where(c => emails.Contains(c.NormalizedEmail)).ToListAsync(ct))
            .Where(c => c.DateOfBirth is not null)
            .GroupBy(c => (c.NormalizedEmail, c.DateOfBirth!.Value)).ToDictionary(g => g.Key, g => g.ToList());
        var ids = candidates.Values.SelectMany(c => c).Select(c => c.Id).ToList();
        var visits = await db.PastVisits.AsNoTracking().Where(v => ids.Contains(v.CustomerId)).ToDictionaryAsync(v => (v.CustomerId, v.ServiceId), ct);

        var newCustomers = new List<Customer>();
        var newCustomerIds = new HashSet<Guid>();
        var filledCustomers = new Dictionary<Guid, Customer>();
        var newVisits = new HashSet<PastVisit>();
        var laterVisits = new Dictionary<Guid, PastVisit>();
        int imported = 0, updated = 0, unchanged = 0;
        foreach (var row in rows)
        {
            var details = row.Details;
            var key = (Customer.Normalize(details.Email!), details.DateOfBirth!.Value);
            var sameEmailAndBirth = candidates.TryGetValue(key, out var list) ? list : candidates[key] = [];
            var customer = CustomerIdentity.Pick(sameEmailAndBirth, details.FullName!);
            var (changed, isNew) = (false, customer is null);
            if (customer is null)
            {
                customer = new Customer
                {
                    Id = Guid.CreateVersion7(), FullName = details.FullName!, PreferredName = details.PreferredName, Email = details.Email!,
                    Phone = details.Phone, DateOfBirth = details.DateOfBirth, CreatedAt = now,
                };
                newCustomers.Add(customer);
                newCustomerIds.Add(customer.Id);
                sameEmailAndBirth.Add(customer);
                imported++;
            }
            else
            {
                // Only blanks are filled: the record on file may have been corrected by staff since the export.
                if (customer.PreferredName is null && details.PreferredName is not null) (customer.PreferredName, changed) = (details.PreferredName, true);
                if (customer.Phone is null && details.Phone is not null) (customer.Phone, changed) = (details.Phone, true);
                if (changed && !newCustomerIds.Contains(customer.Id)) filledCustomers[customer.Id] = customer;
            }
            foreach (var (service, date) in row.Visits)
            {
                if (!visits.TryGetValue((customer.Id, service), out var visit))
                {
                    visit = new PastVisit { Id = Guid.CreateVersion7(), CustomerId = customer.Id, ServiceId = service, LocationId = mapping.LocationId!.Value, VisitedOn = date, ImportId = importId };
                    newVisits.Add(visit);
                    visits[(customer.Id, service)] = visit;
                    changed = true;
                }
                else if (date > visit.VisitedOn)
                {
                    (visit.VisitedOn, visit.LocationId, visit.ImportId) = (date, mapping.LocationId!.Value, importId);
                    if (!newVisits.Contains(visit)) laterVisits[visit.Id] = visit;
                    changed = true;
                }
            }
            if (isNew) continue;
            if (changed) updated++;
            else unchanged++;
        }

        await db.CopyAsync(newCustomers, ct);
        await db.CopyAsync(newVisits, ct);
        if (filledCustomers.Count > 0)
        {
            var filled = filledCustomers.Values;
            // Blanks at the moment of writing: a name staff entered since the batch read the row stays.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE cx.customers AS c SET preferred_name = coalesce(c.preferred_name, f.preferred_name), phone = coalesce(c.phone, f.phone)
                FROM unnest({filled.Select(c => c.Id).ToArray()}, {filled.Select(c => c.PreferredName).ToArray()}, {filled.Select(c => c.Phone).ToArray()})
                    AS f(id, preferred_name, phone)
                WHERE c.id = f.id
                """, ct);
        }
        if (laterVisits.Count > 0)
        {
            var later = laterVisits.Values;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE cx.past_visits AS v SET visited_on = l.visited_on, location_id = {mapping.LocationId!.Value}, import_id = {importId}
                FROM unnest({later.Select(v => v.Id).ToArray()}, {later.Select(v => v.VisitedOn).ToArray()}) AS l(id, visited_on)
                WHERE v.id = l.id AND l.visited_on > v.visited_on
                """, ct);
        }

        var rejected = items.Where(i => i.Parsed is null).ToList();
        db.CustomerImportRejections.AddRange(rejected.Select(r => new CustomerImportRejection
        {
            ImportId = importId, Row = r.Row, Columns = Cut(string.Join("; ", r.Problems.Select(p => p.Column).Distinct()), 1000),
            Reasons = Cut(string.Join("; ", r.Problems.Select(p => p.Column.Length > 0 ? $"{p.Column}: {p.Reason}" : p.Reason)), 4000), Values = [.. r.Values],
        }));
        import.Progress(items.Count, imported, updated, unchanged, rejected.Count);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>Today where the visits took place (else in UTC): a visit dated later is refused.</summary>
    private async Task<DateOnly> TodayAsync(ImportMapping mapping, CancellationToken ct) =>
        await db.Locations.AsNoTracking().SingleOrDefaultAsync(l => l.Id == mapping.LocationId, ct) is { } location
            ? location.LocalDate(clock.GetUtcNow())
            : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Saves the mapping and hands the import to the job; false when it was started meanwhile (by someone else).</summary>
    public async Task<bool> QueueAsync(Guid importId, ImportMapping mapping, CancellationToken ct)
    {
        var import = await db.CustomerImports.SingleAsync(i => i.Id == importId, ct);
        if (import.Status != ImportStatus.Uploaded) return false;
        import.Queue(mapping.ToJson());
        audit.Record(AuditActions.ImportStarted, $"Import {import.Id} queued");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        jobs.Enqueue<Jobs.ImportCustomersJob>(j => j.RunAsync(importId, CancellationToken.None));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} finished: {Status}, {Rows} rows, {Rejected} rejected")]
    private static partial void LogFinished(ILogger logger, Guid importId, ImportStatus status, int rows, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId}: the database refused the batch from row {Row} ({Error}); retrying it row by row")]
    private static partial void LogBatchRefused(ILogger logger, Guid importId, int row, string error);
}
