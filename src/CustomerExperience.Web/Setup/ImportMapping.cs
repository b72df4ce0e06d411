using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Scheduling;

namespace CustomerExperience.Web.Setup;

/// <summary>Which column of the file holds what: column indexes into the header, and a column per service for its last visit.</summary>
public sealed record ImportMapping(
    int? FullName, int? PreferredName, int? Email, int? Phone, int? DateOfBirth, string DateFormat, Guid? LocationId, Dictionary<Guid, int> Services)
{
    public static readonly IReadOnlyList<string> DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "d/M/yyyy", "M/d/yyyy"];

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ImportMapping FromJson(string json) => JsonSerializer.Deserialize<ImportMapping>(json)!;

    /// <summary>A first guess from the header names: "E-mail", "DOB", "Last visit Screening mammogram" and the like.</summary>
    public static ImportMapping Guess(IReadOnlyList<string> headers, IReadOnlyList<Service> services, Guid? locationId)
    {
        var keys = headers.Select(Key).ToList();
        int? Find(params string[] names)
        {
            foreach (var name in names)
                if (keys.IndexOf(name) is >= 0 and var i) return i;
            return null;
        }
        var serviceColumns = new Dictionary<Guid, int>();
        foreach (var service in services)
        {
            var (name, slug) = (Key(service.Name), Key(service.Slug));
            var index = keys.FindIndex(k => k.Length > 0 && (k.Contains(name) || k.Contains(slug)));
            if (index >= 0) serviceColumns[service.Id] = index;
        }
        return new ImportMapping(
            Find("fullname", "name", "customername", "customer", "patientname", "patient", "clientname"),
            Find("preferredname", "preferred", "nickname", "knownas", "callname", "firstname"),
            Find("email", "emailaddress", "mail", "mailaddress"),
            Find("phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cellphone"),
            Find("dateofbirth", "dob", "birthdate", "birthday", "born", "geburtsdatum"),
            DateFormats[0], locationId, serviceColumns);
    }

    /// <summary>Problems with the mapping itself, by form field; empty when it can be used.</summary>
    public Dictionary<string, string> Validate(int columnCount, IReadOnlyCollection<Guid> activeServices, IReadOnlyCollection<Guid> locations)
    {
        var errors = new Dictionary<string, string>();
        void Required(string field, int? column, string label)
        {
            if (column is null) errors[field] = $"Choose the column that holds the {label}.";
        }
        Required("fullName", FullName, "full name");
        Required("email", Email, "email address");
        Required("dateOfBirth", DateOfBirth, "date of birth (customers are matched by email and date of birth)");
        var used = new List<(string Field, int Column)>();
        foreach (var (field, column) in new[] { ("fullName", FullName), ("preferredName", PreferredName), ("email", Email), ("phone", Phone), ("dateOfBirth", DateOfBirth) })
            if (column is { } c) used.Add((field, c));
        used.AddRange(Services.Select(s => ($"service-{s.Key}", s.Value)));
        foreach (var (field, column) in used)
        {
            if (column < 0 || column >= columnCount) errors[field] = "Choose one of the file's columns.";
            else if (used.Count(u => u.Column == column) > 1) errors[field] = "This column is chosen for two fields; choose it for one only.";
        }
        foreach (var service in Services.Keys.Where(s => !activeServices.Contains(s)))
            errors[$"service-{service}"] = "Choose an active service.";
        if (!DateFormats.Contains(DateFormat))
            errors["dateFormat"] = "Choose one of the date formats offered.";
        if (Services.Count > 0 && (LocationId is not { } location || !locations.Contains(location)))
            errors["locationId"] = "Choose the location where the last visits took place.";
        return errors;
    }

    private static string Key(string header) => new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

public sealed record ImportRow(int Row, CustomerDetails Details, IReadOnlyList<(Guid ServiceId, DateOnly Date)> Visits);

public sealed record RowProblem(string Column, string Reason);

/// <summary>Reads one record of the file as the mapping says, with every problem it has (column and reason, never the value).</summary>
public sealed class ImportRowReader(ImportMapping mapping, IReadOnlyList<string> headers, DateOnly today)
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["fullName"] = "full name", ["preferredName"] = "preferred name", ["email"] = "email", ["phone"] = "phone", ["dateOfBirth"] = "date of birth",
    };

    /// <summary>Row numbers as a spreadsheet shows them: the header is row 1.</summary>
    public static int RowOf(CsvReader reader) => (int)reader.RowNumber + 1;

    public (ImportRow? Row, List<RowProblem> Problems) Read(CsvReader reader)
    {
        var problems = new List<RowProblem>();
        string? Text(int? column) => column is { } c && reader.GetString(c).Trim() is { Length: > 0 } value ? value : null;
        string Column(int? column, string field) => column is { } c && c < headers.Count && headers[c].Length > 0 ? headers[c] : Labels[field];

        var dateOfBirth = ParseDate(Text(mapping.DateOfBirth), out var dobProblem);
        if (dobProblem is not null)
            problems.Add(new RowProblem(Column(mapping.DateOfBirth, "dateOfBirth"), dobProblem));
        else if (dateOfBirth is null)
            problems.Add(new RowProblem(Column(mapping.DateOfBirth, "dateOfBirth"), "Empty; a date of birth is needed to match the customer."));

        var details = new CustomerDetails(Text(mapping.FullName), Text(mapping.PreferredName), Text(mapping.Email), Text(mapping.Phone), dateOfBirth);
        var columns = new Dictionary<string, int?>
        {
            ["fullName"] = mapping.FullName, ["preferredName"] = mapping.PreferredName, ["email"] = mapping.Email, ["phone"] = mapping.Phone,
        };
        foreach (var (field, message) in details.Validate(today, online: false))
        {
            if (field == "dateOfBirth") problems.Add(new RowProblem(Column(mapping.DateOfBirth, field), message));
            else if (columns.TryGetValue(field, out var column))
                problems.Add(new RowProblem(Column(column, field), Text(column) is null ? "Empty; this column is required." : message));
        }

        var visits = new List<(Guid, DateOnly)>();
        foreach (var (service, column) in mapping.Services)
        {
            var date = ParseDate(Text(column), out var problem);
            if (problem is null && date > today) problem = "A last visit cannot be in the future.";
            if (problem is null && date < dateOfBirth) problem = "A last visit cannot be before the date of birth.";
            if (problem is not null) problems.Add(new RowProblem(headers[column], problem));
            else if (date is { } visited) visits.Add((service, visited));
        }
        return (problems.Count == 0 ? new ImportRow(RowOf(reader), details, visits) : null, problems);
    }

    private DateOnly? ParseDate(string? value, out string? problem)
    {
        problem = null;
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, mapping.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return date;
        problem = $"Not a date in the format {mapping.DateFormat}.";
        return null;
    }
}
