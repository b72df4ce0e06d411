using CustomerExperience.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CustomerExperience.Web.Customers;

/// <summary>One customer in the search results, with the last visit they came to and the next one booked.</summary>
public sealed class CustomerMatch
{
    public Guid Id { get; init; }
    public string FullName { get; init; } = "";
    public string? PreferredName { get; init; }
    public string Email { get; init; } = "";
    public string? Phone { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public DateTimeOffset? LastVisit { get; init; }
    public string? LastVisitZone { get; init; }
    public DateTimeOffset? NextVisit { get; init; }
    public string? NextVisitZone { get; init; }
}

public sealed record CustomerSearchResult(IReadOnlyList<CustomerMatch> Matches, bool More);

/// <summary>
/// Finds customers by name (full or preferred, ignoring case and accents), email, phone digits or date of birth.
/// Each kind of search has its own index (migration CustomerSearch), so it stays fast with 100,000 customers:
/// trigram GIN indexes for names and emails, the phone's digits reversed (a suffix becomes a prefix), and the date of birth.
/// </summary>
public class CustomerSearch(AppDbContext db, TimeProvider clock)
{
    public const int Limit = 50;

    /// <summary>Accent- and case-folded full and preferred name, exactly as the index ix_customers_name_search is built.</summary>
    private const string FoldedName = "cx.search_fold(c.full_name || ' ' || coalesce(c.preferred_name, ''))";
    /// <summary>The phone's digits, last first, exactly as the index ix_customers_phone_digits is built.</summary>
    private const string ReversedPhoneDigits = "reverse(regexp_replace(c.phone, '[^0-9]', '', 'g'))";

    public async Task<CustomerSearchResult> SearchAsync(CustomerQuery query, CancellationToken ct)
    {
        if (Sql(query, Limit + 1) is not var (sql, parameters)) return new([], false);
        var rows = await db.Database.SqlQueryRaw<CustomerMatch>(sql, parameters).ToListAsync(ct);
        return new(rows.Take(Limit).ToList(), rows.Count > Limit);
    }

    /// <summary>The statement behind a search (also what the index test explains); null for queries that search nothing.</summary>
    public (string Sql, object[] Parameters)? Sql(CustomerQuery query, int limit)
    {
        var parameters = new List<object>();
        string Parameter(object value)
        {
            var name = $"p{parameters.Count}";
            parameters.Add(new NpgsqlParameter(name, value));
            return "@" + name;
        }

        var filter = query switch
        {
            CustomerQuery.Name name => string.Join(" AND ", name.Words.Select(word =>
                $"{FoldedName} LIKE '%' || cx.search_fold({Parameter(EscapeLike(word))}) || '%'")),
            CustomerQuery.Email email => $"c.normalized_email LIKE '%' || {Parameter(EscapeLike(email.Text))} || '%'",
            CustomerQuery.Phone phone => $"{ReversedPhoneDigits} LIKE {Parameter(new string(phone.Digits.Reverse().ToArray()))} || '%'",
            CustomerQuery.DateOfBirth dob => $"c.date_of_birth = {Parameter(dob.Date)}",
            _ => null,
        };
        if (filter is null) return null;
        // An exact email first (a search for jo@example.com should not bury Jo under joanna@example.com).
        var later = query is CustomerQuery.Email exact ? $"c.normalized_email <> {Parameter(exact.Text)}" : "false";
        var now = Parameter(clock.GetUtcNow());

        return ($"""
            WITH found AS (
                SELECT c.id, c.full_name, c.preferred_name, c.email, c.phone, c.date_of_birth, {later} AS later,
                       cx.search_fold(c.full_name) AS sort_name
                FROM cx.customers c
                WHERE {filter}
                ORDER BY later, sort_name, c.id
                LIMIT {Parameter(limit)})
            SELECT found.id, found.full_name, found.preferred_name, found.email, found.phone, found.date_of_birth,
                   last.start AS last_visit, last.time_zone_id AS last_visit_zone,
                   next.start AS next_visit, next.time_zone_id AS next_visit_zone
            FROM found
            LEFT JOIN LATERAL (
                SELECT a.start, l.time_zone_id FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                WHERE a.customer_id = found.id AND a.start < {now} AND a.status IN ('CheckedIn', 'Completed')
                ORDER BY a.start DESC LIMIT 1) last ON true
            LEFT JOIN LATERAL (
                SELECT a.start, l.time_zone_id FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                WHERE a.customer_id = found.id AND a.start >= {now} AND a.status = 'Booked'
                ORDER BY a.start LIMIT 1) next ON true
            ORDER BY found.later, found.sort_name, found.id
            """, parameters.ToArray());
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
