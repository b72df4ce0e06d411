namespace CustomerExperience.Web.Domain;

public enum ImportStatus { Uploaded, Queued, Running, Completed, Failed }

/// <summary>
/// One uploaded CSV of customers and their last visits: the file (in <see cref="CustomerImportChunk"/>s, so every node
/// can read it), the column mapping chosen for it, and the progress of the background job that imports it.
/// </summary>
public class CustomerImport
{
    public Guid Id { get; set; }
    public required string FileName { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>"utf-8" or "windows-1252", decided from the bytes at upload.</summary>
    public required string Encoding { get; set; }
    public List<string> Headers { get; set; } = [];
    public ImportStatus Status { get; private set; } = ImportStatus.Uploaded;
    /// <summary>The chosen mapping as JSON (<c>Setup.ImportMapping</c>), set when the import is started.</summary>
    public string? Mapping { get; private set; }
    public int TotalRows { get; private set; }
    /// <summary>Data rows handled so far, committed with the customers they wrote: a restarted job continues after them.</summary>
    public int RowsDone { get; private set; }
    public int Imported { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public int Rejected { get; private set; }
    public required string UploadedById { get; set; }
    public required string UploadedByName { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>Why the whole import stopped (a problem with the file itself, never a row's values).</summary>
    public string? Failure { get; private set; }
    public uint Version { get; private set; }

    public bool IsFinished => Status is ImportStatus.Completed or ImportStatus.Failed;

    public void Queue(string mapping)
    {
        if (Status != ImportStatus.Uploaded)
            throw new InvalidOperationException($"A {Status} import cannot be started again.");
        Mapping = mapping;
        Status = ImportStatus.Queued;
    }

    public void Begin(int totalRows, DateTimeOffset now)
    {
        TotalRows = totalRows;
        StartedAt ??= now;
        Status = ImportStatus.Running;
    }

    public void Progress(int rows, int imported, int updated, int unchanged, int rejected)
    {
        RowsDone += rows;
        Imported += imported;
        Updated += updated;
        Unchanged += unchanged;
        Rejected += rejected;
    }

    public void Complete(DateTimeOffset now)
    {
        Status = ImportStatus.Completed;
        CompletedAt = now;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        Status = ImportStatus.Failed;
        Failure = reason;
        CompletedAt = now;
    }
}

/// <summary>A slice of an uploaded file, in order of <see cref="Number"/>; deleted once the import has finished.</summary>
public class CustomerImportChunk
{
    public Guid ImportId { get; set; }
    public int Number { get; set; }
    public required byte[] Data { get; set; }
}

/// <summary>A row the import left out, with every problem found in it and its values as the file had them.</summary>
public class CustomerImportRejection
{
    public Guid ImportId { get; set; }
    /// <summary>As a spreadsheet numbers it: the header is row 1.</summary>
    public int Row { get; set; }
    public required string Columns { get; set; }
    public required string Reasons { get; set; }
    public List<string> Values { get; set; } = [];
}

/// <summary>
/// A visit from before the clinic used this app, known from an import: the customer's last visit of a service. It
/// counts as a completed visit for coverage and recalls (<c>Scheduling.CompletedVisits</c>) and for nothing else: no
/// survey, results message or rebooking is made for it.
/// </summary>
public class PastVisit
{
    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public Guid ServiceId { get; set; }
    public Guid LocationId { get; set; }
    public DateOnly VisitedOn { get; set; }
    public Guid? ImportId { get; set; }
}
