using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Setup;

/// <summary>A room or machine once its form has been checked: what is saved.</summary>
public sealed record RoomValues(string Name, ResourceKind Kind, Guid LocationId, IReadOnlyList<Guid> ServiceIds,
    IReadOnlyList<WorkingHours> Hours, bool Active);

/// <summary>
/// A room or machine as its form sends it, every value still text. Weekly hours are one line per weekday with one or
/// more intervals ("08:00–12:00, 13:00–17:00": the gap is the break), stored as one WorkingHours row per interval,
/// which is what the availability calculator reads. "24:00" closes at midnight (stored as 00:00, read as the day's end).
/// </summary>
public sealed partial class RoomsForm
{
    public const int MaxName = 80;
    public static readonly ResourceKind[] Kinds = [ResourceKind.Room, ResourceKind.Machine];
    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? LocationId { get; set; }
    public List<string> Services { get; set; } = [];
    public Dictionary<DayOfWeek, string?> Hours { get; set; } = [];
    public bool Active { get; set; } = true;

    public static string HoursField(DayOfWeek day) => $"hours.{day}";

    public static RoomsForm From(Resource room) => new()
    {
        Name = room.Name, Kind = room.Kind.ToString(), LocationId = room.LocationId.ToString(),
        Services = room.Services.Select(s => s.Id.ToString()).ToList(),
        Hours = Week.ToDictionary(d => d, d => (string?)FormatDay(room.WorkingHours.Where(h => h.Day == d))),
        Active = room.IsActive,
    };

    /// <summary>"08:00–12:00, 13:00–17:00", or empty for a closed day.</summary>
    public static string FormatDay(IEnumerable<WorkingHours> hours) =>
        string.Join(", ", hours.OrderBy(h => h.Opens).Select(h => $"{h.Opens:HH\\:mm}–{(h.Closes == TimeOnly.MinValue ? "24:00" : h.Closes.ToString("HH\\:mm", CultureInfo.InvariantCulture))}"));

    /// <summary>The checked values, or one message per bad field (fields named as in the form); nothing is read twice.</summary>
    public async Task<(RoomValues? Values, Dictionary<string, string> Errors)> ValidateAsync(AppDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = Name?.Trim() ?? "";
        if (name.Length == 0) errors["name"] = "Enter a name staff will recognise, for example “Mammography room 3”.";
        else if (name.Length > MaxName) errors["name"] = $"Keep the name to {MaxName} characters.";
        else if (name.Any(char.IsControl)) errors["name"] = "The name cannot contain line breaks or control characters.";

        ResourceKind kind = default;
        if (!Enum.TryParse(Kind, ignoreCase: false, out kind) || !Kinds.Contains(kind))
            errors["kind"] = "Choose whether it is a room or a machine.";

        Guid locationId = default;
        if (!Guid.TryParse(LocationId, out locationId) || !await db.Locations.AnyAsync(l => l.Id == locationId, ct))
            errors["locationId"] = "Choose one of the locations listed.";

        var serviceIds = new List<Guid>();
        foreach (var text in Services.Distinct())
        {
            if (!Guid.TryParse(text, out var id)) { serviceIds.Clear(); errors["services"] = "Choose services from the list."; break; }
            serviceIds.Add(id);
        }
        if (!errors.ContainsKey("services"))
        {
            var known = await db.Services.Where(s => serviceIds.Contains(s.Id)).CountAsync(ct);
            if (serviceIds.Count == 0) errors["services"] = "Choose at least one service it performs.";
            else if (known != serviceIds.Count) errors["services"] = "One of the services chosen does not exist (any more). Choose from the list.";
        }

        var hours = new List<WorkingHours>();
        foreach (var day in Week)
        {
            var (intervals, error) = ParseDay(day, Hours.GetValueOrDefault(day));
            if (error is not null) errors[HoursField(day)] = error;
            else hours.AddRange(intervals);
        }
        return errors.Count > 0 ? (null, errors) : (new RoomValues(name, kind, locationId, serviceIds, hours, Active), errors);
    }

    /// <summary>One weekday's intervals, or why they cannot be stored: unreadable, inverted or overlapping.</summary>
    public static (List<WorkingHours> Hours, string? Error) ParseDay(DayOfWeek day, string? text)
    {
        var hours = new List<WorkingHours>();
        if (string.IsNullOrWhiteSpace(text)) return (hours, null);
        foreach (var part in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Interval().Match(part);
            if (!match.Success || ParseTime(match.Groups[1].Value) is not { } opens || ParseTime(match.Groups[2].Value) is not { } closes || opens == Midnight)
                return (hours, $"{day}: “{part}” is not a time range. Write it like 08:00–12:00, 13:00–17:00 (24-hour clock), or leave the day empty when closed.");
            if (closes != Midnight && closes <= opens)
                return (hours, $"{day}: {part} must close after it opens.");
            hours.Add(new WorkingHours { Id = Guid.CreateVersion7(), Day = day, Opens = Time(opens), Closes = Time(closes) });
        }
        var sorted = hours.OrderBy(h => h.Opens).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].Opens < End(sorted[i - 1]))
                return (hours, $"{day}: {FormatDay([sorted[i - 1]])} and {FormatDay([sorted[i]])} overlap.");
        return (sorted, null);
    }

    /// <summary>A short fingerprint of a room as stored: a form showing an older one was filled in before someone else's change.</summary>
    public static string Stamp(Resource room)
    {
        var text = string.Join('|', room.Name, room.Kind, room.LocationId, room.IsActive,
            string.Join(',', room.Services.Select(s => s.Id).Order()),
            string.Join(',', room.WorkingHours.OrderBy(h => h.Day).ThenBy(h => h.Opens).Select(h => $"{h.Day}{h.Opens:HHmm}{h.Closes:HHmm}")));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private const int Midnight = 24 * 60;

    private static TimeOnly End(WorkingHours h) => h.Closes == TimeOnly.MinValue ? TimeOnly.MaxValue : h.Closes;

    private static TimeOnly Time(int minutes) => minutes == Midnight ? TimeOnly.MinValue : new TimeOnly(minutes / 60, minutes % 60);

    /// <summary>Minutes since midnight for "H:mm" or "HH:mm" (up to 24:00); null otherwise.</summary>
    private static int? ParseTime(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || parts[1].Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && m != 0)) return null;
        return h * 60 + m;
    }

    [GeneratedRegex(@"^(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})$")]
    private static partial Regex Interval();
}
