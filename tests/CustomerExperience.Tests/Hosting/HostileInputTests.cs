using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Journeys;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Scheduling;
using CustomerExperience.Web.Staff;
using CustomerExperience.Web.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// Thousands of malformed and malicious requests (<see cref="HostileRequests"/>) against every public endpoint of the app on
/// a real Kestrel port: none may be answered 5xx, redirect off the site, echo a script unencoded or let a header through;
/// afterwards every table of schema cx holds exactly what it held before, and no email was queued or sent.
/// </summary>
public partial class HostileInputTests(ITestOutputHelper output)
{
    /// <summary>
    /// Left out of the before/after comparison, each for a reason that is not the requests' doing:
    /// the Data Protection key ring may write a key the first time this process needs one;
    /// an enrolled kiosk's authenticated requests record when it was last seen (its other columns are compared).
    /// Rate-limit counters are in memory and Hangfire lives in its own schema, so neither is in cx.
    /// </summary>
    private static readonly Dictionary<string, string[]> ExcludedColumns = new() { ["kiosks"] = ["last_seen_at"] };
    private static readonly string[] ExcludedTables = ["data_protection_keys"];

    [Fact]
    public async Task A_flood_of_hostile_requests_gets_no_5xx_no_off_site_redirect_changes_no_row_and_sends_no_email()
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await using var app = new AppFactory(await TestDatabases.CreateAsync(nameof(HostileInputTests)));
        app.With("App:PublicBaseUrl", baseAddress.ToString().TrimEnd('/'))
            .With("RateLimits:PublicWritePerMinute", "1000000")
            .With("RateLimits:PublicReadPerMinute", "1000000")
            .With("RateLimits:KioskPerMinute", "1000000");
        var setUp = Stopwatch.StartNew();
        app.UseKestrel(port);
        app.StartServer();
        var targets = await SetUpTargetsAsync(app, baseAddress);
        output.WriteLine($"set-up: {setUp.Elapsed.TotalSeconds:0.0} s");
        var mailBefore = (await MailDev.MessagesToEndingWithAsync(targets.EmailDomain)).Count;
        var before = await SnapshotAsync(app.ConnectionString);
        var outboxBefore = await CountAsync(app.ConnectionString, "outbound_emails");

        var probes = HostileRequests.All(targets, baseAddress);
        var clock = Stopwatch.StartNew();
        var results = await SendAllAsync(probes, baseAddress);
        clock.Stop();

        var after = await SnapshotAsync(app.ConnectionString);
        var outboxAfter = await CountAsync(app.ConnectionString, "outbound_emails");
        var mailAfter = (await MailDev.MessagesToEndingWithAsync(targets.EmailDomain)).Count;
        Report(results, clock.Elapsed);

        Assert.True(results.Count >= 1000, $"only {results.Count} requests were sent");
        var problems = results.SelectMany(r => r.Problems.Select(p => $"{r.Probe.Endpoint} [{r.Probe.Attack}] → {r.Status}: {p}")).ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join('\n', problems.Take(40)));
        var changed = before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{t}: {before.GetValueOrDefault(t)} → {after.GetValueOrDefault(t)}").ToList();
        if (changed.Count > 0)
        {
            // What was written, to find the request that wrote it (newest rows of each changed table, shortened).
            var rows = new List<string>();
            foreach (var table in before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)))
                rows.AddRange((await NewestRowsAsync(app.ConnectionString, table)).Select(r => $"{table}: {r}"));
            Assert.Fail("rows changed:\n" + string.Join('\n', changed) + "\n" + string.Join('\n', rows));
        }
        Assert.Equal(outboxBefore, outboxAfter);
        Assert.Equal(mailBefore, mailAfter);
    }

    [Fact]
    public async Task At_the_default_limits_a_flood_is_answered_429_not_served()
    {
        await using var app = new AppFactory(await TestDatabases.CreateAsync(nameof(HostileInputTests) + "_limits"));
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var body = """{"serviceId":"' OR 1=1 --","start":"<script>alert(1)</script>"}""";

        var bookings = new List<HttpStatusCode>();
        for (var i = 0; i < 35; i++)
            bookings.Add((await client.PostAsync("/api/v1/bookings", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        var manage = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            manage.Add((await client.GetAsync("/manage/" + new string('A', 43))).StatusCode);
        var kiosk = new List<HttpStatusCode>();
        for (var i = 0; i < 125; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/kiosk/anywhere/visit-code") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("Cookie", "cx.kiosk=forged");
            kiosk.Add((await client.SendAsync(request)).StatusCode);
        }

        output.WriteLine("bookings: " + string.Join(' ', bookings.Select(s => (int)s)));
        output.WriteLine("manage: " + string.Join(' ', manage.Select(s => (int)s)));
        output.WriteLine("kiosk: " + string.Join(' ', kiosk.GroupBy(s => (int)s).Select(g => $"{g.Key}×{g.Count()}")));
        // 30 public writes a minute per address: the first 30 are refused for what they carry, the rest for their number.
        Assert.All(bookings.Take(30), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.All(bookings.Skip(30), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // Manage-link lookups share that budget.
        Assert.All(manage, s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.All(kiosk.Take(120), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(kiosk.Skip(120), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    // ------------------------------------------------------------------ set-up

    private static async Task<HostileTargets> SetUpTargetsAsync(AppFactory app, Uri baseAddress)
    {
        var domain = $"hostile-{Guid.NewGuid():N}.example";
        var clinic = await TestClinic.SeedAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var slug = await db.Locations.Where(l => l.Id == clinic.LocationId).Select(l => l.Slug).SingleAsync();

        // A booked visit (its manage link), which also takes the slot every hostile booking asks for.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var slot = (await services.GetRequiredService<AvailabilityService>().GetSlotsAsync(clinic.ServiceId, clinic.LocationId, today.AddDays(3), 14, CancellationToken.None)).First();
        var booked = await services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(clinic.ServiceId, clinic.LocationId, slot.Start,
            new CustomerDetails("Booked Customer", null, $"booked@{domain}", "+1 212 555 0199", new DateOnly(1970, 3, 4))), CancellationToken.None);
        var manageToken = Assert.IsType<BookingOutcome.Done>(booked).ManageToken;
        var takenStart = slot.Start.ToOffset(TestClinic.Eastern).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

        // A completed visit yesterday: its survey link and its customer's unsubscribe link.
        var customerId = await clinic.SeedCompletedVisitAsync(app.Services, $"surveyed@{domain}", new DateOnly(1980, 1, 2), DateTimeOffset.UtcNow.AddDays(-1));
        var visitId = await db.Appointments.Where(a => a.CustomerId == customerId).Select(a => a.Id).SingleAsync();
        var surveyToken = services.GetRequiredService<SurveyLinks>().Token(visitId);
        var unsubscribeToken = services.GetRequiredService<Unsubscribe>().Url(customerId).Split('/')[^1];

        // An enrolled kiosk, as a manager enrols one.
        using var manager = Browser(baseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSignIn.SignInAsync(manager, await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.Manager), StaffSignIn.Password)).StatusCode);
        var enrolled = await StaffSignIn.PostFormAsync(manager, "/staff/kiosks",
            new() { ["LocationId"] = clinic.LocationId.ToString(), ["Name"] = "Exit kiosk" }, "/staff/kiosks?handler=Enrol");
        var kioskCookie = enrolled.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(KioskDevices.CookieName + "="));
        var kioskSecret = kioskCookie[(KioskDevices.CookieName.Length + 1)..kioskCookie.IndexOf(';')];

        // One anonymous antiforgery pair (cookie + form token) serves every form; the started token comes with the survey form.
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var signIn = await anonymous.GetAsync("/signin");
        var afCookie = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("cx.af="))["cx.af=".Length..];
        var afToken = WebUtility.HtmlDecode(FormToken().Match(await signIn.Content.ReadAsStringAsync()).Groups[1].Value);
        var surveyPage = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/survey/{surveyToken}") { Headers = { { "Cookie", $"cx.af={afCookie}" } } });
        Assert.Equal(HttpStatusCode.OK, surveyPage.StatusCode);
        var started = WebUtility.HtmlDecode(StartedField().Match(await surveyPage.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.NotEmpty(started);

        // What the pages create on first use (default survey definition, keys) is created before the snapshot.
        foreach (var url in new[] { $"/kiosk/{slug}", $"/manage/{manageToken}", $"/manage/{manageToken}/reschedule", $"/unsubscribe/{unsubscribeToken}",
                     $"/book/time?serviceId={clinic.ServiceId}&locationId={clinic.LocationId}", $"/waiting/{slug}", "/book", "/" })
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Cookie", $"cx.kiosk={kioskSecret}; cx.af={afCookie}" } } });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }

        // Return URLs off the site, with a password that works: the redirect stays here (before the snapshot: a sign-in writes).
        var staffEmail = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        foreach (var returnUrl in HostileRequests.OffSiteReturnUrls)
        {
            using var client = Browser(baseAddress);
            var response = await StaffSignIn.SignInAsync(client, staffEmail, StaffSignIn.Password, returnUrl);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.GetValues("Location").Single();
            Assert.True(StaysOnSite(location, baseAddress), $"returnUrl {returnUrl} redirected to {location}");
        }

        return new HostileTargets(clinic.ServiceId, clinic.LocationId, slug, takenStart, manageToken, surveyToken, started,
            unsubscribeToken, kioskSecret, afCookie, afToken, domain);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("name=\"started\" value=\"([^\"]+)\"")]
    private static partial Regex StartedField();

    /// <summary>A client of the Kestrel port that keeps cookies and does not follow redirects.</summary>
    private static HttpClient Browser(Uri baseAddress) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // ------------------------------------------------------------------ sending

    private sealed record Result(Probe Probe, int Status, List<string> Problems);

    private static async Task<List<Result>> SendAllAsync(IReadOnlyList<Probe> probes, Uri baseAddress)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 8,
            ResponseHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var results = new ConcurrentBag<Result>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (probe, ct) =>
            results.Add(probe.Raw is null ? await SendAsync(client, probe, baseAddress, ct) : await SendRawAsync(probe, baseAddress, ct)));
        return results.ToList();
    }

    private static async Task<Result> SendAsync(HttpClient client, Probe probe, Uri baseAddress, CancellationToken ct)
    {
        try
        {
            using var response = await client.SendAsync(probe.Build!(), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var headers = response.Headers.Concat(response.Content.Headers).Select(h => (h.Key, string.Join(", ", h.Value))).ToList();
            return new Result(probe, (int)response.StatusCode, Check((int)response.StatusCode,
                response.Headers.TryGetValues("Location", out var location) ? location.First() : null, headers, body, baseAddress));
        }
        catch (HttpRequestException e)
        {
            return new Result(probe, 0, [$"no answer: {e.Message}"]);
        }
    }

    /// <summary>Bytes as they are, on a connection of their own; a body larger than the limit is streamed while the answer is read.</summary>
    private static async Task<Result> SendRawAsync(Probe probe, Uri baseAddress, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(probe.Raw, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writing = probe.RawBodyBytes == 0 ? Task.CompletedTask : StreamBodyAsync(stream, probe.RawBodyBytes, stop.Token);
        var answer = new MemoryStream();
        var buffer = new byte[16384];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                answer.Write(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // A reset after the answer (the server stopped reading an oversized body) is how such a request ends.
        }
        await stop.CancelAsync();
        try { await writing; } catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }

        var text = Encoding.Latin1.GetString(answer.ToArray());
        var match = Regex.Match(text, @"^HTTP/1\.[01] (\d{3})");
        if (!match.Success)
            return new Result(probe, 0, [$"no HTTP answer ({answer.Length} bytes)"]);
        var status = int.Parse(match.Groups[1].Value);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerLines = (end < 0 ? text : text[..end]).Split("\r\n").Skip(1)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        var location = headerLines.FirstOrDefault(h => h.Item1.Equals("Location", StringComparison.OrdinalIgnoreCase)).Item2;
        // "HTTP/9.9" is answered by Kestrel before the app sees it, with the status HTTP defines for it (RFC 9110 15.6.6):
        // not a failure of the server, the one 5xx that is right.
        var checkedStatus = status == 505 && probe.Attack == "bad version" ? 400 : status;
        return new Result(probe, status, Check(checkedStatus, location, headerLines, end < 0 ? "" : text[(end + 4)..], baseAddress));
    }

    private static async Task StreamBodyAsync(NetworkStream stream, int bytes, CancellationToken ct)
    {
        var chunked = bytes < 0;
        var remaining = Math.Abs(bytes);
        var block = new byte[64 * 1024];
        Array.Fill(block, (byte)'A');
        while (remaining > 0 && !ct.IsCancellationRequested)
        {
            var size = Math.Min(block.Length, remaining);
            if (chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:X}\r\n"), ct);
                await stream.WriteAsync(block.AsMemory(0, size), ct);
                await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            }
            else
                await stream.WriteAsync(block.AsMemory(0, size), ct);
            remaining -= size;
        }
        if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
    }

    /// <summary>What must hold for every answer, whatever the request.</summary>
    private static List<string> Check(int status, string? location, List<(string Name, string Value)> headers, string body, Uri baseAddress)
    {
        var problems = new List<string>();
        if (status >= 500) problems.Add("a server error");
        if (status is >= 300 and < 400 && !StaysOnSite(location, baseAddress))
            problems.Add($"redirects off the site to {location}");
        if (headers.Any(h => h.Name.Equals(HostileRequests.InjectedHeader, StringComparison.OrdinalIgnoreCase)))
            problems.Add("a header from the request came back as a response header");
        if (headers.Any(h => h.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("forged", StringComparison.Ordinal)))
            problems.Add("a cookie from the request came back as Set-Cookie");
        foreach (var marker in HostileRequests.ScriptMarkers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)))
            problems.Add($"the body echoes \"{marker}\" unencoded");
        return problems;
    }

    /// <summary>A Location header a browser would follow to this site only (it drops tabs and line breaks, and reads \\ as /).</summary>
    private static bool StaysOnSite(string? location, Uri baseAddress)
    {
        if (string.IsNullOrEmpty(location)) return true;
        var cleaned = new string(location.Where(c => c is not ('\t' or '\r' or '\n')).ToArray()).Trim().Replace('\\', '/');
        if (cleaned.StartsWith('/'))
            return !cleaned.StartsWith("//", StringComparison.Ordinal);
        return Uri.TryCreate(cleaned, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            && absolute.Authority == baseAddress.Authority;
    }

    private void Report(IReadOnlyCollection<Result> results, TimeSpan elapsed)
    {
        output.WriteLine($"{results.Count} hostile requests in {elapsed.TotalSeconds:0.0} s");
        output.WriteLine("by status: " + string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        output.WriteLine("by endpoint:");
        foreach (var endpoint in results.GroupBy(r => r.Probe.Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"  {endpoint.Key,-44} {endpoint.Count(),5}   "
                + string.Join(", ", endpoint.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
    }

    // ------------------------------------------------------------------ the database before and after

    /// <summary>Per table of schema cx: its row count and an md5 over its rows (sorted), minus the exclusions above.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'cx' AND table_type = 'BASE TABLE' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        Assert.Contains("outbound_emails", tables);
        Assert.Contains("data_protection_keys", tables);

        var snapshot = new Dictionary<string, string>();
        foreach (var table in tables.Except(ExcludedTables))
        {
            var row = "to_jsonb(t)" + string.Concat(ExcludedColumns.GetValueOrDefault(table, []).Select(c => $" - '{c}'"));
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || md5(coalesce(string_agg(md5(({row})::text), ',' ORDER BY md5(({row})::text)), '')) FROM cx.\"{table}\" t", connection);
            snapshot[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return snapshot;
    }

    private static async Task<List<string>> NewestRowsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT left(to_jsonb(t)::text, 600) FROM cx.\"{table}\" t LIMIT 3", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }

    private static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM cx.{table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
