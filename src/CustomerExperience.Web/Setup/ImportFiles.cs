using System.Text;
using CsvHelper;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CustomerExperience.Web.Setup;

public abstract record UploadOutcome
{
    public sealed record Stored(Guid ImportId) : UploadOutcome;
    /// <param name="Status">413 for a file over the limit, 400 for anything else.</param>
    public sealed record Refused(int Status, string Message) : UploadOutcome;
}

/// <summary>
/// Uploaded files live in Postgres, in 1 MB chunks (<see cref="CustomerImportChunk"/>), so whichever node runs the
/// import job can read them, and a file never has to fit in memory: it is streamed in and out chunk by chunk.
/// </summary>
public class ImportFiles(AppDbContext db, NpgsqlDataSource dataSource, Audit audit, TimeProvider clock)
{
    public const long MaxFileBytes = 20 * 1024 * 1024;
    /// <summary>The most a request may carry: a file somewhat over the limit is still received, so the page can say why it is refused.</summary>
    public const long MaxRequestBytes = 64 * 1024 * 1024;
    public const int ChunkBytes = 1024 * 1024;
    public static readonly string LimitText = $"{MaxFileBytes / (1024 * 1024)} MB";

    static ImportFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static string TooLarge(long bytes) =>
        $"The file is {bytes / (1024.0 * 1024.0):0.0} MB; the limit is {LimitText} (about 200,000 customers). Split it into smaller files and import them one after the other.";

    public const string NotText =
        "This is not a CSV text file (it contains binary data). In your spreadsheet, choose Save as → CSV (comma or semicolon separated) and upload that file.";

    /// <summary>
    /// Stores the upload and reads its header. UTF-8 (with or without a byte order mark) when every byte sequence is
    /// valid UTF-8, else Windows-1252, the usual encoding of a spreadsheet saved as CSV on Windows.
    /// </summary>
    public async Task<UploadOutcome> StoreAsync(string fileName, Stream content, CancellationToken ct)
    {
        var staff = audit.CurrentStaff();
        var import = new CustomerImport
        {
            Id = Guid.CreateVersion7(), FileName = Path.GetFileName(fileName) is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : "upload.csv",
            Encoding = "utf-8", UploadedById = staff.Id, UploadedByName = staff.Name, UploadedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.CustomerImports.Add(import);
        await db.SaveChangesAsync(ct);

        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var isUtf8 = true;
        var chars = new char[Encoding.UTF8.GetMaxCharCount(ChunkBytes)];
        var buffer = new byte[ChunkBytes];
        byte[]? first = null;
        long size = 0;
        var number = 0;
        int filled;
        while ((filled = await FillAsync(content, buffer, ct)) > 0)
        {
            size += filled;
            if (size > MaxFileBytes)
                return new UploadOutcome.Refused(StatusCodes.Status413PayloadTooLarge, TooLarge(size));
            var chunk = buffer.AsSpan(0, filled);
            if (chunk.Contains((byte)0))
                return new UploadOutcome.Refused(StatusCodes.Status400BadRequest, NotText);
            if (isUtf8)
            {
                try
                {
                    utf8.GetChars(chunk, chars, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    isUtf8 = false;
                }
            }
            first ??= chunk.ToArray();
            await InsertChunkAsync(import.Id, number++, buffer.AsMemory(0, filled), ct);
        }
        if (first is null)
            return new UploadOutcome.Refused(StatusCodes.Status400BadRequest, "The file is empty. Choose the CSV file with your customers.");
        if (isUtf8)
        {
            try
            {
                utf8.GetChars([], chars, flush: true);
            }
            catch (DecoderFallbackException)
            {
                isUtf8 = false;
            }
        }

        import.Encoding = isUtf8 ? "utf-8" : "windows-1252";
        import.SizeBytes = size;
        import.Headers = await HeadersAsync(first, import.Encoding, ct);
        if (import.Headers.Count(h => h.Length > 0) < 3)
            return new UploadOutcome.Refused(StatusCodes.Status400BadRequest,
                "The first row must name the columns (full name, email, date of birth, …), separated by commas or semicolons.");
        audit.Record(AuditActions.ImportUploaded, $"Uploaded a customer file for import {import.Id}: {size:N0} bytes, {import.Encoding}, {import.Headers.Count} columns");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new UploadOutcome.Stored(import.Id);
    }

    /// <summary>A reader over a stored file, from its start. The separator (comma, semicolon, tab) is detected by CsvHelper.</summary>
    public CsvReader OpenReader(CustomerImport import) =>
        CsvReader.Create(new ChunkStream(dataSource, import.Id), Options(import.Encoding));

    public async Task DeleteFileAsync(Guid importId, CancellationToken ct) =>
        await db.CustomerImportChunks.Where(c => c.ImportId == importId).ExecuteDeleteAsync(ct);

    private static CsvReaderOptions Options(string encoding) => new()
    {
        Encoding = encoding == "utf-8" ? null : Windows1252,
        TrimWhitespace = true,
        // An unclosed quote would otherwise swallow the rest of the file as one value.
        MaxRecordSize = 64 * 1024,
        IncludeValuesInExceptions = false,
    };

    private static async Task<List<string>> HeadersAsync(byte[] start, string encoding, CancellationToken ct)
    {
        try
        {
            await using var reader = CsvReader.Create(new MemoryStream(start), Options(encoding));
            await reader.ReadHeaderAsync(ct);
            return reader.Headers.Select(h => h.Trim()).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [];
        }
    }

    private async Task InsertChunkAsync(Guid importId, int number, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("INSERT INTO cx.customer_import_chunks (import_id, number, data) VALUES ($1, $2, $3)", connection,
            (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction());
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(number);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, TypedValue = data });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(filled), ct)) > 0)
            filled += read;
        return filled;
    }

    /// <summary>The stored chunks as one forward-only stream, one chunk in memory at a time.</summary>
    private sealed class ChunkStream(NpgsqlDataSource dataSource, Guid importId) : Stream
    {
        private byte[] chunk = [];
        private int position;
        private int next;
        private bool ended;

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
        {
            if (position == chunk.Length && !ended)
            {
                await using var command = dataSource.CreateCommand("SELECT data FROM cx.customer_import_chunks WHERE import_id = $1 AND number = $2");
                command.Parameters.AddWithValue(importId);
                command.Parameters.AddWithValue(next++);
                var data = (byte[]?)await command.ExecuteScalarAsync(ct);
                (chunk, position, ended) = (data ?? [], 0, data is null);
            }
            var count = Math.Min(destination.Length, chunk.Length - position);
            chunk.AsMemory(position, count).CopyTo(destination);
            position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
