using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Customers;

/// <summary>Customers that may be one person: <paramref name="Reason"/> says what they share.</summary>
public sealed record DuplicateGroup(string Reason, IReadOnlyList<Customer> Customers);

/// <summary>
/// Possible duplicates for staff to look at: customers sharing an email (often a family, sometimes one person booking
/// twice with different details) and customers with the same folded name and date of birth (one person, two addresses).
/// </summary>
public class CustomerDuplicates(AppDbContext db)
{
    public const int MaxGroups = 200;

    private sealed class Row
    {
        public required string Reason { get; init; }
        public required Guid[] Ids { get; init; }
    }

    public async Task<IReadOnlyList<DuplicateGroup>> FindAsync(CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT 'The same email' AS reason, array_agg(id ORDER BY created_at) AS ids, normalized_email AS sort
            FROM cx.customers GROUP BY normalized_email HAVING count(*) > 1
            UNION ALL
            SELECT 'The same name and date of birth', array_agg(id ORDER BY created_at),
                   btrim(regexp_replace(cx.search_fold(full_name), '[^[:alnum:]]+', ' ', 'g')) || ' ' || date_of_birth
            FROM cx.customers WHERE date_of_birth IS NOT NULL
            GROUP BY btrim(regexp_replace(cx.search_fold(full_name), '[^[:alnum:]]+', ' ', 'g')), date_of_birth HAVING count(*) > 1
            ORDER BY reason, sort
            LIMIT {MaxGroups}
            """).ToListAsync(ct);
        var ids = rows.SelectMany(r => r.Ids).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return rows.ConvertAll(r => new DuplicateGroup(r.Reason, r.Ids.Select(id => customers[id]).ToList()));
    }
}
