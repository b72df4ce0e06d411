using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CustomerExperience.Web.Data;

public static class BulkCopy
{
    /// <summary>
    /// Writes <paramref name="rows"/> into their table by binary COPY, on the context's connection (and so in its
    /// transaction), without tracking them: every column of the EF model (its names and value converters) but those the
    /// database fills in (row version, identity). For thousands of rows at once, where EF's tracking costs more than
    /// the insert.
    /// </summary>
    public static async Task CopyAsync<T>(this DbContext db, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => p.ValueGenerated != ValueGenerated.OnAddOrUpdate && p.GetValueGenerationStrategy(table) == NpgsqlValueGenerationStrategy.None)
            .Select(p => (Name: p.GetColumnName(table)!, Getter: p.GetGetter(), p.GetTypeMapping().Converter)).ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Schema}\".\"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var (_, getter, converter) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                if (value is null)
                    await writer.WriteNullAsync(cancellationToken);
                else
                    await writer.WriteAsync(converter is null ? value : converter.ConvertToProvider(value), cancellationToken);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
