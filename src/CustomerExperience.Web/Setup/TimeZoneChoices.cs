namespace CustomerExperience.Web.Setup;

/// <summary>The IANA time zones a location can be in: those this machine knows that have a Windows equivalent (real places, not Etc/ offsets).</summary>
public static class TimeZoneChoices
{
    public static readonly IReadOnlyList<string> Ids = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id)
        .Where(id => id.Contains('/') && !id.StartsWith("Etc/", StringComparison.Ordinal)
            && TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static readonly HashSet<string> Known = [.. Ids];

    public static bool IsKnown(string? id) => id is not null && Known.Contains(id);

    /// <summary>"America", "Europe", …: the groups of the picker.</summary>
    public static IEnumerable<IGrouping<string, string>> ByRegion() => Ids.GroupBy(id => id[..id.IndexOf('/')]);
}
