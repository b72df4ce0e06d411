using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;

namespace CustomerExperience.Tests.Setup;

/// <summary>Drives /staff/admin/import as an admin would: upload, map, start, poll.</summary>
public sealed partial class ImportClient(HttpClient client)
{
    public const string Page = "/staff/admin/import";

    public async Task<HttpResponseMessage> UploadAsync(byte[] content, string fileName = "customers.csv")
    {
        var token = await StaffSignIn.AntiforgeryTokenAsync(client, Page);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"{Page}?handler=Upload", form);
    }

    /// <summary>Uploads and returns the new import's id.</summary>
    public async Task<Guid> UploadOkAsync(byte[] content)
    {
        var response = await UploadAsync(content);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return Guid.Parse(IdInUrl().Match(response.Headers.Location!.ToString()).Value);
    }

    public static Dictionary<string, string> Mapping(Guid locationId, Guid serviceId) => new()
    {
        ["FullName"] = "0", ["PreferredName"] = "1", ["Email"] = "2", ["Phone"] = "3", ["DateOfBirth"] = "4",
        ["DateFormat"] = "yyyy-MM-dd", ["LocationId"] = locationId.ToString(), [$"service-{serviceId}"] = "5",
    };

    public async Task<HttpResponseMessage> PostAsync(Guid id, string handler, Dictionary<string, string> fields) =>
        await StaffSignIn.PostFormAsync(client, $"{Page}/{id}", fields, $"{Page}/{id}?handler={handler}");

    public async Task StartAsync(Guid id, Dictionary<string, string> mapping)
    {
        var response = await PostAsync(id, "Start", mapping);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"start: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement> ProgressAsync(Guid id) =>
        JsonDocument.Parse(await client.GetStringAsync($"{Page}/{id}?handler=Progress")).RootElement;

    public async Task<byte[]> ClientGetAsync(string url) => await client.GetByteArrayAsync(url);

    public async Task<string> ClientGetStringAsync(string url) => await client.GetStringAsync(url);

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex IdInUrl();
}
