// Tools for bench/*.sh: a seeder, an HTTP load generator (a second process on loopback), a booking driver
// and a minimal Kestrel endpoint that measures the machine's HTTP ceiling. Prints figures; asserts nothing.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

return args.FirstOrDefault() switch
{
    "seed-bookings" => await Seed.BookingsAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
    "load" => await Load.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture))),
    "book" => await Book.RunAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    "kestrel" => await Ceiling.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture)),
    "seed-reminders" => await Seed.RemindersAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
    "smtp-push" => await SmtpCeiling.PushAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "confirm" => await Confirmations.RunAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    "page" => await PageLoad.RunAsync(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: bench seed-bookings <connection-string> <appointments>
               bench load <url>[,<url>...] <concurrency> <seconds>
               bench book <base-url>[,<base-url>...] <service-id> <location-id> <clients> <bookings>
               bench kestrel <port>
               bench seed-reminders <connection-string> <customers> <due-visits> <lead-seconds>
               bench smtp-push <host> <port> <messages>
               bench confirm <base-url> <service-id> <location-id> <smtp-sink-port> <bookings>
               bench page <base-url> <staff-email> <password> <path> <warm-ups> <requests>
        """);
    return 2;
}

static partial class Seed
{
    /// <summary>
    /// A bench location with 20 rooms open around the clock and a 15-minute "bench visit", plus history:
    /// <paramref name="count"/> completed and booked appointments spread over those rooms, ending in the
    /// availability window so the query has real rows to filter. Prints the ids the other commands need.
    /// </summary>
    public static async Task<int> BookingsAsync(string connectionString, int count)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var connection = await data.OpenConnectionAsync();
        await using var batch = new NpgsqlCommand("""
            INSERT INTO cx.locations (id, slug, name, address_line, city, region, postal_code, time_zone_id, phone)
            VALUES ('00000000-0000-7000-8000-00000000b001', 'bench', 'Bench Center', '1 Bench St', 'New York', 'NY', '10001', 'America/New_York', '+1 212 555 0000')
            ON CONFLICT DO NOTHING;
            INSERT INTO cx.services (id, slug, name, duration_minutes, buffer_minutes, reminder_offsets_minutes, calendar_title, is_active)
            VALUES ('00000000-0000-7000-8000-00000000b002', 'bench-visit', 'Bench visit', 15, 0, '{}', 'Bench visit', true)
            ON CONFLICT DO NOTHING;
            INSERT INTO cx.resources (id, location_id, name, kind, is_active)
            SELECT ('00000000-0000-7000-8000-0000000c' || lpad(n::text, 4, '0'))::uuid, '00000000-0000-7000-8000-00000000b001', 'Room ' || n, 'Room', true
            FROM generate_series(1, 20) n ON CONFLICT DO NOTHING;
            INSERT INTO cx.resource_services (resource_id, services_id)
            SELECT id, '00000000-0000-7000-8000-00000000b002' FROM cx.resources WHERE location_id = '00000000-0000-7000-8000-00000000b001'
            ON CONFLICT DO NOTHING;
            INSERT INTO cx.working_hours (id, resource_id, day, opens, closes)
            SELECT gen_random_uuid(), r.id, d.day, '00:00', '00:00'
            FROM cx.resources r CROSS JOIN (VALUES ('Sunday'), ('Monday'), ('Tuesday'), ('Wednesday'), ('Thursday'), ('Friday'), ('Saturday')) d(day)
            WHERE r.location_id = '00000000-0000-7000-8000-00000000b001'
              AND NOT EXISTS (SELECT 1 FROM cx.working_hours w WHERE w.resource_id = r.id);
            """, connection);
        await batch.ExecuteNonQueryAsync();

        // History: back to back on each room, every 30 minutes (15-minute visits), ending 3 days from now,
        // so the benchmark window starts among existing bookings. Four visits per customer, as a clinic's
        // returning customers have (one customer with every visit would give the planner statistics no clinic has).
        await using var history = new NpgsqlCommand("""
            INSERT INTO cx.customers (id, full_name, email, normalized_email, preferred_time_of_day, email_opt_out, created_at)
            SELECT ('00000000-0000-7000-8001-' || lpad(to_hex(n), 12, '0'))::uuid, 'Bench History ' || n,
                   'history-' || n || '@bench.example', 'history-' || n || '@bench.example', 'Any', false, now()
            FROM generate_series(0, (@count + 3) / 4 - 1) n
            ON CONFLICT DO NOTHING;
            INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                                         status, source, calendar_sequence, created_at)
            SELECT gen_random_uuid(), ('00000000-0000-7000-8001-' || lpad(to_hex(n % ((@count + 3) / 4)), 12, '0'))::uuid, '00000000-0000-7000-8000-00000000b002',
                   '00000000-0000-7000-8000-00000000b001', ('00000000-0000-7000-8000-0000000c' || lpad((n % 20 + 1)::text, 4, '0'))::uuid,
                   s, s + interval '15 minutes', s + interval '15 minutes',
                   CASE WHEN s < now() THEN 'Completed' ELSE 'Booked' END, 'Online', 0, now()
            FROM generate_series(0, @count - 1) n,
                 LATERAL (SELECT date_trunc('hour', now()) + interval '3 days' - ((n / 20) * interval '30 minutes') AS s) t
            ON CONFLICT DO NOTHING;
            ANALYZE cx.customers; ANALYZE cx.appointments;
            """, connection);
        history.Parameters.AddWithValue("count", count);
        history.CommandTimeout = 600;
        await history.ExecuteNonQueryAsync();

        await using var total = new NpgsqlCommand("SELECT count(*) FROM cx.appointments", connection);
        Console.WriteLine($"appointments in database: {await total.ExecuteScalarAsync()}");
        Console.WriteLine("service 00000000-0000-7000-8000-00000000b002 location 00000000-0000-7000-8000-00000000b001");
        return 0;
    }
}

static partial class Seed
{
    /// <summary>
    /// <paramref name="due"/> booked visits whose 24-hour reminder falls due at one instant <paramref name="leadSeconds"/>
    /// from now (the service's other offset, 2 hours, is later), among <paramref name="customers"/> customers. Prints
    /// that instant as Unix seconds, so the benchmark can start its clock there with the app already running.
    /// </summary>
    public static async Task<int> RemindersAsync(string connectionString, int customers, int due, int leadSeconds)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var connection = await data.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO cx.locations (id, slug, name, address_line, city, region, postal_code, time_zone_id, phone, directions_url, arrival_notes)
            VALUES ('00000000-0000-7000-8000-00000000d001', 'remind', 'Reminder Center', '1 Bench St', 'New York', 'NY', '10001', 'America/New_York',
                    '+1 212 555 0000', 'https://maps.example/bench', 'Park behind the building.');
            INSERT INTO cx.services (id, slug, name, duration_minutes, buffer_minutes, reminder_offsets_minutes, calendar_title, is_active, preparation_notes)
            VALUES ('00000000-0000-7000-8000-00000000d002', 'remind-visit', 'Reminder visit', 30, 0, '{1440,120}', 'Clinic appointment', true,
                    'Please do not use deodorant on the day.');
            INSERT INTO cx.customers (id, full_name, email, normalized_email, preferred_time_of_day, email_opt_out, created_at)
            SELECT gen_random_uuid(), 'Customer ' || n, 'c' || n || '@remind.example', 'c' || n || '@remind.example', 'Any', false, now()
            FROM generate_series(1, @customers) n;
            INSERT INTO cx.resources (id, location_id, name, kind, is_active)
            SELECT gen_random_uuid(), '00000000-0000-7000-8000-00000000d001', 'Room ' || n, 'Room', true FROM generate_series(1, @due) n;
            INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                                         status, source, calendar_sequence, created_at)
            SELECT gen_random_uuid(), c.id, '00000000-0000-7000-8000-00000000d002', '00000000-0000-7000-8000-00000000d001', r.id,
                   t.start, t.start + interval '30 minutes', t.start + interval '30 minutes', 'Booked', 'Online', 0, now() - interval '10 days'
            FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM cx.customers WHERE email LIKE '%@remind.example' LIMIT @due) c
            JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM cx.resources WHERE location_id = '00000000-0000-7000-8000-00000000d001') r ON r.n = c.n
            CROSS JOIN (SELECT date_trunc('second', now()) + interval '1 day' + make_interval(secs => @lead) AS start) t;
            ANALYZE;
            """, connection);
        command.Parameters.AddWithValue("customers", customers);
        command.Parameters.AddWithValue("due", due);
        command.Parameters.AddWithValue("lead", leadSeconds);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
        await using var instant = new NpgsqlCommand(
            "SELECT extract(epoch FROM min(start) - interval '1 day')::bigint FROM cx.appointments WHERE location_id = '00000000-0000-7000-8000-00000000d001'", connection);
        Console.WriteLine((long)(await instant.ExecuteScalarAsync())!);
        return 0;
    }
}

static class SmtpCeiling
{
    /// <summary>A minimal SMTP client on one kept-open connection: the rate maildev itself can take.</summary>
    public static async Task<int> PushAsync(string host, int port, int count)
    {
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true }; // no Nagle: each command waits for its reply
        await tcp.ConnectAsync(host, port);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        await using var writer = new StreamWriter(stream, System.Text.Encoding.ASCII) { NewLine = "\r\n", AutoFlush = false };
        async Task ExpectAsync(string code)
        {
            string? line;
            do { line = await reader.ReadLineAsync(); } while (line is not null && line.Length > 3 && line[3] == '-');
            if (line is null || !line.StartsWith(code, StringComparison.Ordinal)) throw new InvalidOperationException($"SMTP said {line}");
        }
        async Task SayAsync(string command, string code) { await writer.WriteLineAsync(command); await writer.FlushAsync(); await ExpectAsync(code); }

        await ExpectAsync("220");
        await SayAsync("EHLO bench.local", "250");
        var body = string.Join("\r\n", Enumerable.Repeat("A reminder of your visit: Reminder visit, Tuesday at 9:00 AM. Where: Reminder Center, 1 Bench St.", 25));
        var stop = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await SayAsync("MAIL FROM:<appointments@bench.example>", "250");
            await SayAsync($"RCPT TO:<push{i}@remind-ceiling.example>", "250");
            await SayAsync("DATA", "354");
            await writer.WriteAsync($"From: appointments@bench.example\r\nTo: push{i}@remind-ceiling.example\r\nSubject: Reminder {i}\r\n\r\n{body}\r\n.\r\n");
            await writer.FlushAsync();
            await ExpectAsync("250");
        }
        var seconds = stop.Elapsed.TotalSeconds;
        await SayAsync("QUIT", "221");
        Console.WriteLine(JsonSerializer.Serialize(new { messages = count, seconds = Math.Round(seconds, 2), messagesPerSecond = Math.Round(count / seconds, 1) }));
        return 0;
    }
}

static class Load
{
    /// <summary>GETs the URL from <paramref name="concurrency"/> workers for the duration; reads the app's Server-Timing header.
    /// Several URLs separated by commas (one per app instance) take the requests in turn, round-robin.</summary>
    public static async Task<int> RunAsync(string urlList, int concurrency, TimeSpan duration)
    {
        var urls = urlList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false });
        foreach (var warm in urls) // warm-up: JIT, pools, caches
            for (var i = 0; i < 201; i++) await http.GetAsync(warm);
        var turn = -1;
        string Next() => urls[(int)((uint)Interlocked.Increment(ref turn) % (uint)urls.Length)];

        var client = new ConcurrentBag<double>();
        var server = new ConcurrentBag<double>();
        var errors = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(Next(), HttpCompletionOption.ResponseContentRead);
                client.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                if (response.Headers.TryGetValues("Server-Timing", out var timing)
                    && timing.First().Split("dur=") is [_, var dur]
                    && double.TryParse(dur, CultureInfo.InvariantCulture, out var ms))
                    server.Add(ms);
            }
        }));
        var seconds = stop.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            requests = client.Count,
            errors,
            requestsPerSecond = Math.Round(client.Count / seconds, 1),
            clientP50Ms = Percentile(client, 50), clientP95Ms = Percentile(client, 95),
            serverP50Ms = server.IsEmpty ? (double?)null : Percentile(server, 50),
            serverP95Ms = server.IsEmpty ? (double?)null : Percentile(server, 95),
        }));
        return errors == 0 ? 0 : 1;
    }

    public static double Percentile(IEnumerable<double> values, int p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)], 2);
    }
}

/// <summary>Signs in as a staff member, then GETs one page <paramref name="requests"/> times, one after another (latency without queueing).</summary>
static partial class PageLoad
{
    public static async Task<int> RunAsync(string baseUrl, string email, string password, string path, int warmUps, int requests)
    {
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5),
        };
        var form = await http.GetStringAsync("/signin");
        var token = Token().Match(form).Groups[1].Value;
        using var signIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        if (signIn.StatusCode != HttpStatusCode.Redirect)
        {
            Console.Error.WriteLine($"sign-in as {email} answered {(int)signIn.StatusCode}");
            return 1;
        }

        var bytes = 0L;
        async Task<double> GetAsync()
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
            bytes = body.Length;
            return ms;
        }
        var warm = new List<double>();
        for (var i = 0; i < warmUps; i++) warm.Add(await GetAsync());
        var times = new List<double>();
        for (var i = 0; i < requests; i++) times.Add(await GetAsync());
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            requests, bytes, firstMs = Math.Round(warm.FirstOrDefault(), 1),
            p50Ms = Load.Percentile(times, 50), p95Ms = Load.Percentile(times, 95),
            minMs = Math.Round(times.Min(), 1), maxMs = Math.Round(times.Max(), 1),
        }));
        return 0;
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();
}

static class Book
{
    /// <summary>Books distinct free slots of the bench service through the public API from N concurrent clients.
    /// Several base URLs separated by commas (one per app instance) take the bookings in turn, round-robin.</summary>
    public static async Task<int> RunAsync(string baseUrlList, string serviceId, string locationId, int clients, int bookings)
    {
        var bases = baseUrlList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => new Uri(b)).ToArray();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = bases[0] };
        var from = DateTime.UtcNow.Date.AddDays(20);
        var targets = new List<(string Start, int Capacity)>();
        for (var week = 0; targets.Sum(t => t.Capacity) < bookings; week++)
        {
            var day = from.AddDays(7 * week).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var found = await http.GetFromJsonAsync<JsonElement>($"/api/v1/availability?serviceId={serviceId}&locationId={locationId}&from={day}&days=7");
            foreach (var slot in found.GetProperty("slots").EnumerateArray())
                targets.Add((slot.GetProperty("start").GetString()!, 20));
        }
        // Each start has 20 free rooms: book it up to 20 times, spread over the clients.
        var work = new ConcurrentQueue<string>(targets.SelectMany(t => Enumerable.Repeat(t.Start, t.Capacity)).Take(bookings)
            .Select((start, i) => (start, i)).OrderBy(x => x.i % clients).ThenBy(x => x.i).Select(x => x.start));

        var created = 0; var conflicts = 0; var failed = 0; var sequence = 0;
        var latencies = new ConcurrentBag<double>();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (work.TryDequeue(out var start))
            {
                var started = Stopwatch.GetTimestamp();
                var n = Interlocked.Increment(ref sequence);
                using var response = await http.PostAsJsonAsync(new Uri(bases[n % bases.Length], "/api/v1/bookings"), new
                {
                    serviceId, locationId, start,
                    customer = new { fullName = $"Bench Customer {n}", email = $"bench-{Guid.NewGuid():N}@bench.example", phone = "+1 212 555 0101", dateOfBirth = "1970-01-01" },
                });
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Created: Interlocked.Increment(ref created); break;
                    case HttpStatusCode.Conflict: Interlocked.Increment(ref conflicts); break;
                    default: Interlocked.Increment(ref failed); Console.Error.WriteLine($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}"); break;
                }
            }
        }));
        var seconds = stop.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            created, conflicts, failed, clients,
            bookingsPerSecond = Math.Round(created / seconds, 1),
            p50Ms = Load.Percentile(latencies, 50), p95Ms = Load.Percentile(latencies, 95),
        }));
        return failed == 0 ? 0 : 1;
    }
}

static class Ceiling
{
    /// <summary>The smallest useful Kestrel app: what this machine's HTTP stack does with no work behind it.</summary>
    public static async Task<int> ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Json(new { slots = Array.Empty<object>() }));
        await app.RunAsync();
        return 0;
    }
}

/// <summary>
/// Books one visit at a time through the API and times each from the booking's 201 (its transaction has committed)
/// to the confirmation's last byte reaching a small SMTP sink run here, so both ends read one clock.
/// </summary>
static class Confirmations
{
    public static async Task<int> RunAsync(string baseUrl, string serviceId, string locationId, int sinkPort, int bookings)
    {
        var arrived = new ConcurrentDictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, sinkPort);
        listener.Start();
        using var stopSink = new CancellationTokenSource();
        var sink = SinkAsync(listener, arrived, stopSink.Token);

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var day = DateTime.UtcNow.Date.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var found = await http.GetFromJsonAsync<JsonElement>($"/api/v1/availability?serviceId={serviceId}&locationId={locationId}&from={day}&days=7");
        var starts = found.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()!).Take(bookings).ToList();
        var committed = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var start in starts)
        {
            var email = $"confirm-{Guid.NewGuid():N}@bench.example";
            using var response = await http.PostAsJsonAsync("/api/v1/bookings", new
            {
                serviceId, locationId, start,
                customer = new { fullName = "Bench Customer", email, phone = "+1 212 555 0101", dateOfBirth = "1970-01-01" },
            });
            if (response.StatusCode != HttpStatusCode.Created)
                Console.Error.WriteLine($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            else
                committed[email] = Stopwatch.GetTimestamp();
        }

        var deadline = Stopwatch.StartNew();
        while (committed.Keys.Any(e => !arrived.ContainsKey(e)) && deadline.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(20);
        await stopSink.CancelAsync();
        listener.Stop();
        await sink;

        var latencies = committed.Where(c => arrived.ContainsKey(c.Key))
            .Select(c => Stopwatch.GetElapsedTime(c.Value, arrived[c.Key]).TotalMilliseconds).ToList();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bookings = committed.Count,
            delivered = latencies.Count,
            p50Ms = Load.Percentile(latencies, 50), p95Ms = Load.Percentile(latencies, 95),
            maxMs = latencies.Count > 0 ? Math.Round(latencies.Max(), 1) : 0,
        }));
        return latencies.Count == committed.Count ? 0 : 1;
    }

    /// <summary>Just enough SMTP (RFC 5321, with PIPELINING) to take messages and note when each recipient's arrived.</summary>
    private static async Task SinkAsync(System.Net.Sockets.TcpListener listener, ConcurrentDictionary<string, long> arrived, CancellationToken stop)
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                sessions.Add(SessionAsync(client, arrived, stop));
            }
        }
        catch (OperationCanceledException) { }
        catch (System.Net.Sockets.SocketException) { }
        await Task.WhenAll(sessions.Select(s => s.ContinueWith(_ => { })));
    }

    private static async Task SessionAsync(System.Net.Sockets.TcpClient client, ConcurrentDictionary<string, long> arrived, CancellationToken stop)
    {
        using var _ = client;
        client.NoDelay = true;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        await using var writer = new StreamWriter(stream, System.Text.Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 bench sink");
        var recipients = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await writer.WriteAsync("250-bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"); break;
                    case "HELO": case "RSET": case "NOOP": case "MAIL": recipients.Clear(); await writer.WriteLineAsync("250 OK"); break;
                    case "RCPT":
                        recipients.Add(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go on");
                        while (await reader.ReadLineAsync(stop) is { } data && data != ".") { }
                        var now = Stopwatch.GetTimestamp();
                        foreach (var recipient in recipients)
                            arrived.TryAdd(recipient, now);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                    default: await writer.WriteLineAsync("502 not here"); break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException) { }
    }
}
