using System.Net.Http.Json;
using System.Text.Json;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>Reads what reached maildev through its REST API. Tests use unique recipients, so they never see each other's mail.</summary>
public sealed class MailDev
{
    private static readonly HttpClient Http = new() { BaseAddress = new Uri(TestSettings.MailDevUrl) };

    public static async Task<IReadOnlyList<JsonElement>> MessagesToAsync(string address)
    {
        var all = await Http.GetFromJsonAsync<JsonElement[]>("/email") ?? [];
        return all.Where(m => m.GetProperty("to").EnumerateArray()
                .Any(to => string.Equals(to.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Every message to an address that ends with <paramref name="suffix"/> (a test run's own domain), in one request.</summary>
    public static async Task<IReadOnlyList<JsonElement>> MessagesToEndingWithAsync(string suffix)
    {
        var all = await Http.GetFromJsonAsync<JsonElement[]>("/email") ?? [];
        return all.Where(m => m.GetProperty("to").EnumerateArray()
                .Any(to => to.GetProperty("address").GetString()!.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages to the address have arrived, then returns all of them.</summary>
    public static async Task<IReadOnlyList<JsonElement>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        IReadOnlyList<JsonElement> messages = [];
        await Eventually.TrueAsync(async () => (messages = await MessagesToAsync(address)).Count >= count,
            timeout ?? TimeSpan.FromSeconds(15), $"{count} message(s) to {address} in maildev");
        return messages;
    }

    public static Task<string> SourceAsync(JsonElement message) =>
        Http.GetStringAsync($"/email/{message.GetProperty("id").GetString()}/source");

    /// <summary>The attachment with that file name; maildev serves it under the name it generated.</summary>
    public static Task<string> AttachmentAsync(JsonElement message, string fileName)
    {
        var attachment = message.GetProperty("attachments").EnumerateArray()
            .Single(a => a.GetProperty("fileName").GetString() == fileName);
        return Http.GetStringAsync($"/email/{message.GetProperty("id").GetString()}/attachment/{attachment.GetProperty("generatedFileName").GetString()}");
    }

    public static string UniqueAddress(string tag) => $"{tag}-{Guid.NewGuid():N}@example.test";
}
