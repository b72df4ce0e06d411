using CsvHelper;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Recovery;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Insights;

/// <summary>
/// The survey responses and the recovery cases of a dashboard filter as CSV, written row by row as Postgres sends them
/// (a year can be hundreds of thousands of responses). Customers' names, emails and phones only with
/// <c>withContacts</c> (admins); comments go to managers too, who read them on the dashboard anyway.
/// </summary>
public class InsightsExport(AppDbContext db, InsightsQueries queries)
{
    /// <summary>A text cell starting with = + - @, tab or CR gets a leading ' so a spreadsheet shows it instead of running it.</summary>
    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    private const string LocalTime = "yyyy-MM-dd HH:mm";

    public static string FileName(string what, InsightsFilter filter) => $"{what}-{filter.From:yyyy-MM-dd}-to-{filter.To:yyyy-MM-dd}.csv";

    public async Task WriteResponsesAsync(Stream destination, InsightsFilter filter, bool withContacts, CancellationToken ct)
    {
        var questions = await QuestionColumnsAsync(ct);
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        string[] header =
        [
            "day", "time", "location", "service", "channel", "partial", "seconds", "performed_by", "checked_in_by",
            .. questions.Select(q => q.Key), "nps_category", "comment", "contact_requested", "case",
            .. withContacts ? ContactColumns : [],
        ];
        csv.WriteHeader(header);
        await foreach (var row in queries.ResponseRows(filter, withContacts).WithCancellation(ct))
        {
            csv.WriteField(row.Day);
            csv.WriteField(row.LocalTime, LocalTime);
            csv.WriteField(row.LocationName);
            csv.WriteField(row.ServiceName);
            csv.WriteField(row.Channel);
            csv.WriteField(row.IsPartial ? "yes" : "no");
            csv.WriteField(row.DurationSeconds, "");
            csv.WriteField(row.PerformedBy);
            csv.WriteField(row.CheckedInBy);
            var answers = row.Answers();
            foreach (var (key, _) in questions)
                csv.WriteField(answers.TryGetValue(key, out var score) ? score : (int?)null, "");
            var recommend = questions.FirstOrDefault(q => q.Scale == SurveyScale.Recommend10).Key;
            csv.WriteField(recommend is not null && answers.TryGetValue(recommend, out var likely) ? NpsCategory(likely) : null);
            csv.WriteField(row.Comment);
            csv.WriteField(row.ContactRequested ? "yes" : "no");
            csv.WriteField(row.CaseNumber, "");
            if (withContacts)
                WriteContacts(csv, row.CustomerName, row.CustomerEmail, row.CustomerPhone);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    public async Task WriteCasesAsync(Stream destination, InsightsFilter filter, bool withContacts, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        string[] header =
        [
            "case", "source", "opened", "due", "first_contact", "resolved", "status", "owner", "root_cause", "outcome", "location",
            .. withContacts ? ContactColumns : [],
        ];
        csv.WriteHeader(header);
        await foreach (var row in queries.CaseRows(filter, withContacts).WithCancellation(ct))
        {
            csv.WriteField(row.Number, "");
            csv.WriteField(row.Source);
            csv.WriteField(row.Opened, LocalTime);
            csv.WriteField(row.Due, LocalTime);
            csv.WriteField(row.FirstContact, LocalTime);
            csv.WriteField(row.Resolved, LocalTime);
            csv.WriteField(row.Status);
            csv.WriteField(row.Owner);
            csv.WriteField(row.RootCause is null ? null : RootCauses.Label(Enum.Parse<RootCause>(row.RootCause)));
            csv.WriteField(row.Outcome);
            csv.WriteField(row.LocationName);
            if (withContacts)
                WriteContacts(csv, row.CustomerName, row.CustomerEmail, row.CustomerPhone);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static readonly string[] ContactColumns = ["customer", "email", "phone"];

    private static void WriteContacts(CsvWriter csv, string? name, string? email, string? phone)
    {
        csv.WriteField(name);
        csv.WriteField(email);
        csv.WriteField(phone);
    }

    public static string NpsCategory(int score) => score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";

    /// <summary>
    /// A column per question key: the newest survey's in its order, then keys only older versions asked, so a
    /// response to an old version keeps its answers.
    /// </summary>
    private async Task<List<(string Key, SurveyScale Scale)>> QuestionColumnsAsync(CancellationToken ct)
    {
        var all = await db.SurveyQuestions.AsNoTracking().OrderByDescending(q => q.DefinitionVersion).ThenBy(q => q.Position).ToListAsync(ct);
        return all.DistinctBy(q => q.Key).Select(q => (q.Key, q.Scale)).ToList();
    }
}
