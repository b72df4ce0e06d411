using System.Text;
using System.Text.Json;

namespace CustomerExperience.Tests.Hosting;

/// <summary>One hostile value for a text field: how it goes into a URL or form (escaped) and into JSON (a literal, maybe not a string).</summary>
public sealed record HostileValue(string Kind, string Text, string? Escaped = null, byte[]? Json = null)
{
    public string UrlEncoded => Escaped ?? HostileRequests.Escape(Text);
    public byte[] JsonLiteral => Json ?? JsonSerializer.SerializeToUtf8Bytes(Text);
}

/// <summary>A request to send: through HttpClient (<see cref="Build"/>), or as raw bytes on a socket (<see cref="Raw"/>).</summary>
public sealed record Probe(string Endpoint, string Attack, Func<HttpRequestMessage>? Build = null, byte[]? Raw = null, int RawBodyBytes = 0);

/// <summary>What the requests aim at: real ids, a real manage link, survey link, kiosk and antiforgery pair, so refusals come from the handlers themselves.</summary>
public sealed record HostileTargets(
    Guid ServiceId, Guid LocationId, string Slug, string TakenStart, string ManageToken, string SurveyToken, string SurveyStarted,
    string UnsubscribeToken, string KioskSecret, string AntiforgeryCookie, string AntiforgeryToken, string EmailDomain);

/// <summary>
/// The malformed and malicious requests of <see cref="HostileInputTests"/>: every public endpoint, each text field with each
/// hostile value, plus bad JSON, wrong types, missing fields, oversized bodies, bogus tokens, forged cookies and open redirects.
/// Every request is built so that nothing it carries may be stored: a booking aims at a slot already taken, a survey or
/// kiosk answer carries a defect, a cancel or unsubscribe carries a bogus token or a forged antiforgery token.
/// </summary>
public static class HostileRequests
{
    public const string InjectedHeader = "X-Injected";
    /// <summary>Markers that must never come back unencoded in a response body.</summary>
    public static readonly string[] ScriptMarkers = ["<script>alert(1)", "<img src=x onerror", "<svg onload", "<iframe src=javascript"];

    public static IReadOnlyList<HostileValue> Values(string domain) =>
    [
        new("sql", "' OR '1'='1"),
        new("sql", "'; DROP TABLE cx.customers; --"),
        new("sql", "1; SELECT pg_sleep(10); --"),
        new("sql", "\" OR 1=1 --"),
        new("sql", "' UNION SELECT password_hash, email FROM cx.staff_users --"),
        new("sql", "%' AND 1=0 UNION SELECT NULL, NULL --"),
        new("script", "<script>alert(1)</script>"),
        new("script", "\"><img src=x onerror=alert(1)>"),
        new("script", "</textarea><svg onload=alert(1)>"),
        new("script", "javascript:alert(1)"),
        new("script", "'><iframe src=javascript:alert(1)></iframe>"),
        new("template", "@(1+1){{7*7}}${7*7}<%= 7*7 %>"),
        new("crlf", $"someone@{domain}\r\nBcc: victim@{domain}"),
        new("crlf", $"x\r\n{InjectedHeader}: 1\r\n\r\n<html>"),
        new("crlf", "x\nSet-Cookie: cx.staff=forged"),
        new("crlf", "x\rSubject: injected"),
        new("crlf-encoded", "%0d%0aLocation:%20https://evil.example"),
        new("overlong", new string('A', 10_000)),
        new("overlong", string.Concat(Enumerable.Repeat("😀", 5_000))),
        new("overlong", "e" + new string('\u0301', 3_000)),
        new("control", "abc\0def"),
        new("control", "\u202Egnp.exe\u200B\uFEFF"),
        new("control", "\u0007\u0008\u001b[31mred"),
        new("lone-surrogate", "a\uD800b"),
        new("invalid-utf8", "\uFFFD(", Escaped: "%C3%28%FF%FE%ED%A0%80%C0%AF", Json: [(byte)'"', 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0xC0, 0xAF, (byte)'"']),
        new("path", "../../../../etc/passwd"),
        new("path", "..%2f..%2fstaff%2faccounts"),
        new("path", "%2e%2e%2f%2e%2e%2f"),
        new("path", "..\\..\\windows\\win.ini"),
        new("path", "%00"),
        new("path", "/\\evil.example"),
        new("number", "1e999", Json: "1e999"u8.ToArray()),
        new("number", "-2147483649", Json: "-2147483649"u8.ToArray()),
        new("number", "١٢٣٤٥٦"),
        new("type", "true", Json: "true"u8.ToArray()),
        new("type", "[1,2]", Json: "[1,2]"u8.ToArray()),
        new("type", "{}", Json: "{\"$ref\":\"#\"}"u8.ToArray()),
        new("type", "null", Json: "null"u8.ToArray()),
        new("date", "9999-99-99"),
        new("date", "0001-01-01T00:00:00+14:01"),
        new("date", "2026-02-30T25:61:00-05:00"),
        new("guid", "00000000-0000-0000-0000-000000000000"),
        new("guid", "{" + Guid.NewGuid() + "}}"),
        new("empty", ""),
        new("whitespace", " \t\r\n "),
    ];

    /// <summary>Tokens that must open nothing: made-up, truncated, one character changed, padded, or path tricks.</summary>
    public static IReadOnlyList<string> BogusTokens(string real) =>
    [
        "x", new string('A', 43), real[..^1], real[1..], real[..(real.Length / 2)], Flip(real), real + "A", real + "%00", real + "/../x",
        real.ToUpperInvariant(), "..%2f..%2f", "%2e%2e", "..", "%252e%252e%252f", new string('A', 5000),
        Escape("<script>alert(1)</script>"), Escape("' OR 1=1 --"), "%C3%28%FF", "%00", Escape("a\r\nb"),
    ];

    private static string Flip(string token) => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

    public static IReadOnlyList<Probe> All(HostileTargets t, Uri baseAddress)
    {
        var values = Values(t.EmailDomain);
        var probes = new List<Probe>();
        Api(probes, t, values);
        Booking(probes, t, values);
        Manage(probes, t, values);
        Survey(probes, t, values);
        Kiosk(probes, t, values);
        Links(probes, t, values);
        SignIn(probes, t, values);
        PagesAndStaff(probes, t, values);
        Raw(probes, t, baseAddress, values);
        return probes;
    }

    // ------------------------------------------------------------------ /api/v1

    private static void Api(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        var query = new Dictionary<string, string>
        {
            ["serviceId"] = t.ServiceId.ToString(), ["locationId"] = t.LocationId.ToString(), ["from"] = "2030-01-01", ["days"] = "3",
        };
        foreach (var field in query.Keys)
            foreach (var value in values)
                probes.Add(Get("GET /api/v1/availability", $"{field}:{value.Kind}",
                    "/api/v1/availability?" + Query(query, field, value.UrlEncoded)));
        probes.Add(Get("GET /api/v1/availability", "days:huge", $"/api/v1/availability?serviceId={t.ServiceId}&locationId={t.LocationId}&from=2030-01-01&days=99999999999999"));
        probes.Add(Get("GET /api/v1/availability", "repeated", $"/api/v1/availability?serviceId={t.ServiceId}&serviceId={Guid.NewGuid()}&locationId={t.LocationId}&from=2030-01-01&from=x"));
        probes.Add(Get("GET /api/v1/services", "junk query", "/api/v1/services?" + Escape("' OR 1=1") + "=" + Escape("<script>alert(1)</script>")));
        probes.Add(Get("GET /api/v1/locations", "junk query", "/api/v1/locations?%00=%C3%28"));

        // POST /api/v1/bookings: each field hostile (as a string and as the wrong type), the rest valid, the slot already taken.
        var booking = new (string Path, string Template)[]
        {
            ("serviceId", """{"serviceId":§,"locationId":"L","start":"S","customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("locationId", """{"serviceId":"V","locationId":§,"start":"S","customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("start", """{"serviceId":"V","locationId":"L","start":§,"customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("acceptNotCovered", """{"serviceId":"V","locationId":"L","start":"S","acceptNotCovered":§,"customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("customer", """{"serviceId":"V","locationId":"L","start":"S","customer":§}"""),
            ("customer.fullName", """{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":§,"email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("customer.preferredName", """{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":"Zoë Test","preferredName":§,"email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("customer.email", """{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":"Zoë Test","email":§,"phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}"""),
            ("customer.phone", """{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":"Zoë Test","email":"E","phone":§,"dateOfBirth":"1970-03-04"}}"""),
            ("customer.dateOfBirth", """{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":§}}"""),
        };
        foreach (var (path, template) in booking)
        {
            var filled = Fill(template, t);
            foreach (var value in values)
                probes.Add(PostJson("POST /api/v1/bookings", $"{path}:{value.Kind}", "/api/v1/bookings", Splice(filled, value.JsonLiteral)));
        }
        var valid = Fill("""{"serviceId":"V","locationId":"L","start":"S","customer":{"fullName":"Zoë Test","email":"E","phone":"+1 212 555 0199","dateOfBirth":"1970-03-04"}}""", t);
        foreach (var field in new[] { "serviceId", "locationId", "start", "customer", "fullName", "email", "phone", "dateOfBirth" })
            probes.Add(PostJson("POST /api/v1/bookings", $"missing {field}", "/api/v1/bookings", Encoding.UTF8.GetBytes(Without(valid, field))));
        foreach (var (kind, body) in BadJson(valid))
            probes.Add(PostJson("POST /api/v1/bookings", kind, "/api/v1/bookings", body));
        foreach (var (kind, contentType) in WrongContentTypes)
            probes.Add(Post("POST /api/v1/bookings", kind, "/api/v1/bookings", () => Content(Encoding.UTF8.GetBytes(valid), contentType)));

        // Reschedule and cancel: bogus tokens with a valid body, the real token with bad bodies (a real cancel would be a change).
        foreach (var token in BogusTokens(t.ManageToken))
        {
            probes.Add(PostJson("POST /api/v1/bookings/{token}/reschedule", "bogus token", $"/api/v1/bookings/{token}/reschedule", Encoding.UTF8.GetBytes($$"""{"start":"{{t.TakenStart}}"}""")));
            probes.Add(PostJson("POST /api/v1/bookings/{token}/cancel", "bogus token", $"/api/v1/bookings/{token}/cancel", "{}"u8.ToArray()));
        }
        foreach (var value in values)
            probes.Add(PostJson("POST /api/v1/bookings/{token}/reschedule", $"start:{value.Kind}", $"/api/v1/bookings/{t.ManageToken}/reschedule",
                Splice("""{"start":§}""", value.JsonLiteral)));
        foreach (var (kind, body) in BadJson($$"""{"start":"{{t.TakenStart}}"}"""))
            probes.Add(PostJson("POST /api/v1/bookings/{token}/reschedule", kind, $"/api/v1/bookings/{t.ManageToken}/reschedule", body));
        probes.Add(PostJson("POST /api/v1/bookings/{token}/reschedule", "sunday 3am", $"/api/v1/bookings/{t.ManageToken}/reschedule",
            """{"start":"2030-01-06T03:00:00-05:00"}"""u8.ToArray()));
    }

    private static readonly (string Kind, string ContentType)[] WrongContentTypes =
    [
        ("content-type text/plain", "text/plain"),
        ("content-type form", "application/x-www-form-urlencoded"),
        ("content-type multipart", "multipart/form-data; boundary=x"),
        ("content-type bogus charset", "application/json; charset=ebcdic-cp-us"),
        ("content-type xml", "application/xml"),
        ("content-type garbage", "a/b; ;;==\""),
    ];

    /// <summary>Bodies that are not the JSON asked for: broken, truncated, the wrong shape, huge, deeply nested.</summary>
    public static IEnumerable<(string Kind, byte[] Body)> BadJson(string valid)
    {
        yield return ("json empty", []);
        yield return ("json truncated", Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]));
        yield return ("json trailing garbage", Encoding.UTF8.GetBytes(valid + "}}}garbage"));
        yield return ("json not json", "serviceId=1&start=now"u8.ToArray());
        yield return ("json array", Encoding.UTF8.GetBytes("[" + valid + "]"));
        yield return ("json string", "\"hello\""u8.ToArray());
        yield return ("json number", "42"u8.ToArray());
        yield return ("json null", "null"u8.ToArray());
        yield return ("json single quotes", Encoding.UTF8.GetBytes(valid.Replace('"', '\'')));
        yield return ("json comments", Encoding.UTF8.GetBytes("/* hi */" + valid));
        yield return ("json duplicate keys", Encoding.UTF8.GetBytes(valid.Insert(1, "\"start\":\"x\",\"start\":[1],")));
        yield return ("json unknown fields", Encoding.UTF8.GetBytes(valid.Insert(1, "\"isAdmin\":true,\"status\":\"Completed\",\"id\":\"00000000-0000-0000-0000-000000000001\",")));
        yield return ("json nested 5000", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)));
        yield return ("json nested objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)));
        yield return ("json bom", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(valid)]);
        yield return ("json utf16", Encoding.Unicode.GetBytes(valid));
        yield return ("json invalid utf8", [.. Encoding.UTF8.GetBytes(valid[..^2]), 0xFF, 0xC0, 0xAF, (byte)'}']);
        yield return ("json nul bytes", [0, 0, 0, 0]);
        yield return ("json 2 MB string", Encoding.UTF8.GetBytes(valid.Insert(1, "\"pad\":\"" + new string('A', 2_000_000) + "\",")));
    }

    // ------------------------------------------------------------------ /book

    private static void Booking(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        foreach (var value in values)
        {
            probes.Add(Get("GET /book", $"query:{value.Kind}", $"/book?serviceId={value.UrlEncoded}&locationId={value.UrlEncoded}&error={value.UrlEncoded}"));
            foreach (var field in new[] { "serviceId", "locationId", "from", "date", "coveredFrom" })
            {
                var query = new Dictionary<string, string> { ["serviceId"] = t.ServiceId.ToString(), ["locationId"] = t.LocationId.ToString(), ["coveredFrom"] = "2030-01-01" };
                probes.Add(Get("GET /book/time", $"{field}:{value.Kind}", "/book/time?" + Query(query, field, value.UrlEncoded)));
            }
            foreach (var field in new[] { "serviceId", "locationId", "start" })
            {
                var query = new Dictionary<string, string> { ["serviceId"] = t.ServiceId.ToString(), ["locationId"] = t.LocationId.ToString(), ["start"] = Escape(t.TakenStart) };
                probes.Add(Get("GET /book/details", $"{field}:{value.Kind}", "/book/details?" + Query(query, field, value.UrlEncoded)));
            }
        }

        // The form, with a real antiforgery pair: every field hostile in turn, the slot already taken.
        var url = $"/book/details?serviceId={t.ServiceId}&locationId={t.LocationId}&start={Escape(t.TakenStart)}";
        var form = new Dictionary<string, string>
        {
            ["serviceId"] = t.ServiceId.ToString(), ["locationId"] = t.LocationId.ToString(), ["start"] = Escape(t.TakenStart),
            ["fullName"] = "Zo%C3%AB+Test", ["preferredName"] = "Zo", ["email"] = Escape($"hostile@{t.EmailDomain}"), ["phone"] = "%2B1+212+555+0199",
            ["dateOfBirth"] = "1970-03-04", ["acceptNotCovered"] = "false", ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken),
        };
        foreach (var field in new[] { "start", "fullName", "preferredName", "email", "phone", "dateOfBirth", "acceptNotCovered", "alternative" })
            foreach (var value in values)
                probes.Add(PostForm("POST /book/details", $"{field}:{value.Kind}", url, Query(form, field, value.UrlEncoded), t));
        FormAttacks(probes, "POST /book/details", url, form, t);
    }

    /// <summary>What any form post gets: no, forged or mismatched antiforgery token and cookie, oversized and malformed bodies.</summary>
    private static void FormAttacks(List<Probe> probes, string endpoint, string url, Dictionary<string, string> form, HostileTargets t)
    {
        var body = Query(form);
        var noToken = Query(form.Where(f => f.Key != "__RequestVerificationToken").ToDictionary());
        probes.Add(PostForm(endpoint, "antiforgery missing", url, noToken, t));
        probes.Add(PostForm(endpoint, "antiforgery cookie missing", url, body, t, cookie: ""));
        probes.Add(PostForm(endpoint, "antiforgery token forged", url, Query(form, "__RequestVerificationToken", "CfDJ8" + new string('A', 150)), t));
        probes.Add(PostForm(endpoint, "antiforgery token truncated", url, Query(form, "__RequestVerificationToken", Escape(t.AntiforgeryToken[..^4])), t));
        probes.Add(PostForm(endpoint, "antiforgery cookie forged", url, body, t, cookie: "cx.af=CfDJ8forgedforgedforged"));
        probes.Add(PostForm(endpoint, "antiforgery cookie garbage", url, body, t, cookie: "cx.af=%C3%28%00; cx.staff=forged; cx.kiosk=forged"));
        probes.Add(PostForm(endpoint, "antiforgery token twice", url, body + "&__RequestVerificationToken=x", t));
        probes.Add(PostForm(endpoint, "staff cookie forged", url, body, t, cookie: $"cx.af={t.AntiforgeryCookie}; cx.staff=CfDJ8{new string('Q', 300)}"));
        probes.Add(PostForm(endpoint, "form 5 MB value", url, body + "&fullName=" + new string('A', 5_000_000), t));
        probes.Add(PostForm(endpoint, "form 2000 fields", url, body + string.Concat(Enumerable.Range(0, 2000).Select(i => $"&f{i}=1")), t));
        probes.Add(PostForm(endpoint, "form 3000-char key", url, body + "&" + new string('k', 3000) + "=1", t));
        probes.Add(PostForm(endpoint, "form invalid utf8", url, body + "&fullName=%C3%28%FF&%FF%FE=%ED%A0%80", t));
        probes.Add(PostForm(endpoint, "form broken encoding", url, body + "&fullName=%%%zz%", t));
        probes.Add(PostForm(endpoint, "form as json", url, body, t, contentType: "application/json"));
        probes.Add(PostForm(endpoint, "form as text", url, body, t, contentType: "text/plain"));
        probes.Add(PostForm(endpoint, "form bogus charset", url, body, t, contentType: "application/x-www-form-urlencoded; charset=utf-7"));
        probes.Add(PostForm(endpoint, "multipart broken", url, "--x\r\nContent-Disposition: form-data; name=\"fullName\"\r\n\r\nZoe", t, contentType: "multipart/form-data; boundary=x"));
        probes.Add(PostForm(endpoint, "multipart no boundary", url, body, t, contentType: "multipart/form-data"));
        probes.Add(Post(endpoint, "multipart with file", url, () =>
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (key, value) in form) multipart.Add(new StringContent(Uri.UnescapeDataString(value.Replace('+', ' '))), key);
            multipart.Add(new ByteArrayContent(new byte[300_000]), "file", "../../../etc/passwd");
            return multipart;
        }, Cookie(t)));
    }

    // ------------------------------------------------------------------ /manage/{token}

    private static void Manage(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        var af = new Dictionary<string, string> { ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken) };
        foreach (var token in BogusTokens(t.ManageToken))
        {
            probes.Add(Get("GET /manage/{token}", "bogus token", $"/manage/{token}"));
            probes.Add(Get("GET /manage/{token}", "bogus token, calendar", $"/manage/{token}?handler=Calendar"));
            probes.Add(Get("GET /manage/{token}/reschedule", "bogus token", $"/manage/{token}/reschedule"));
            probes.Add(PostForm("POST /manage/{token}?handler=Cancel", "bogus token", $"/manage/{token}?handler=Cancel", Query(af), t));
            probes.Add(PostForm("POST /manage/{token}/reschedule", "bogus token", $"/manage/{token}/reschedule", Query(af, "start", Escape(t.TakenStart)), t));
        }
        foreach (var value in values)
        {
            probes.Add(Get("GET /manage/{token}", $"flags:{value.Kind}", $"/manage/{t.ManageToken}?booked={value.UrlEncoded}&cancelled={value.UrlEncoded}&handler={value.UrlEncoded}"));
            foreach (var field in new[] { "start", "from", "date" })
                probes.Add(Get("GET /manage/{token}/reschedule", $"{field}:{value.Kind}", $"/manage/{t.ManageToken}/reschedule?{field}={value.UrlEncoded}"));
            probes.Add(PostForm("POST /manage/{token}/reschedule", $"start:{value.Kind}", $"/manage/{t.ManageToken}/reschedule", Query(af, "start", value.UrlEncoded), t));
        }
        // The real link with the real antiforgery pair would cancel: only forged and missing tokens here.
        FormAttacks(probes, "POST /manage/{token}?handler=Cancel", $"/manage/{t.ManageToken}?handler=Cancel", new() { ["__RequestVerificationToken"] = "forged" }, t);
        FormAttacks(probes, "POST /manage/{token}/reschedule", $"/manage/{t.ManageToken}/reschedule", new() { ["start"] = "2030-01-06T03%3A00%3A00-05%3A00", ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken) }, t);
        probes.Add(PostForm("POST /manage/{token}?handler=Cancel", "handler unknown", $"/manage/{t.ManageToken}?handler=Delete", Query(af), t));
        probes.Add(Send("PUT /manage/{token}", "method PUT", HttpMethod.Put, $"/manage/{t.ManageToken}"));
        probes.Add(Send("DELETE /manage/{token}", "method DELETE", HttpMethod.Delete, $"/manage/{t.ManageToken}"));
    }

    // ------------------------------------------------------------------ /survey/{token}

    private static void Survey(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        foreach (var token in BogusTokens(t.SurveyToken))
        {
            probes.Add(Get("GET /survey/{token}", "bogus token", $"/survey/{token}"));
            probes.Add(PostForm("POST /survey/{token}", "bogus token", $"/survey/{token}",
                $"answers%5Bbooking%5D=5&started={Escape(t.SurveyStarted)}&__RequestVerificationToken={Escape(t.AntiforgeryToken)}", t));
        }
        var url = $"/survey/{t.SurveyToken}";
        // A score out of range keeps every answer from being stored, whatever else the form carries.
        var form = new Dictionary<string, string>
        {
            ["answers[booking]"] = "99", ["answers[wait]"] = "99", ["comment"] = "Fine", ["contact"] = "true",
            ["started"] = Escape(t.SurveyStarted), ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken),
        };
        foreach (var value in values)
        {
            foreach (var field in new[] { "answers[booking]", "answers[wait]", "comment", "contact", "started" })
                probes.Add(PostForm("POST /survey/{token}", $"{field}:{value.Kind}", url, Query(form, field, value.UrlEncoded), t));
            probes.Add(PostForm("POST /survey/{token}", $"answer key:{value.Kind}", url, Query(form) + $"&answers%5B{value.UrlEncoded}%5D=5", t));
            // Everything valid but the started token, which is forged: the hostile comment must not be stored.
            probes.Add(PostForm("POST /survey/{token}", $"comment, forged started:{value.Kind}", url,
                Query(new Dictionary<string, string>(form) { ["answers[booking]"] = "5", ["answers[wait]"] = "4", ["started"] = "CfDJ8forged" }, "comment", value.UrlEncoded), t));
        }
        probes.Add(PostForm("POST /survey/{token}", "comment 2001 chars, started missing", url, Query(form.Where(f => f.Key != "started").ToDictionary(), "comment", new string('c', 2001)), t));
        FormAttacks(probes, "POST /survey/{token}", url, new Dictionary<string, string>(form) { ["answers[booking]"] = "5", ["started"] = "forged" }, t);
    }

    // ------------------------------------------------------------------ /kiosk/{slug}

    private static void Kiosk(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        var cookie = $"cx.kiosk={t.KioskSecret}; cx.af={t.AntiforgeryCookie}";
        var forgedCookies = new[]
        {
            "", "cx.kiosk=", "cx.kiosk=forged", $"cx.kiosk={t.KioskSecret[..^1]}", $"cx.kiosk={t.KioskSecret}x", $"cx.kiosk={new string('A', 5000)}",
            "cx.kiosk=' OR 1=1 --", "cx.kiosk=%00%C3%28", $"cx.kiosk=forged; cx.kiosk={t.KioskSecret}", $"cx.kiosk={t.KioskSecret.ToUpperInvariant()}",
        };
        foreach (var forged in forgedCookies)
        {
            var withAf = forged.Length == 0 ? $"cx.af={t.AntiforgeryCookie}" : $"{forged}; cx.af={t.AntiforgeryCookie}";
            probes.Add(Get("GET /kiosk/{slug}", "forged kiosk cookie", $"/kiosk/{t.Slug}", withAf));
            probes.Add(KioskPost("/responses", "forged kiosk cookie", t.Slug, withAf, t.AntiforgeryToken, Encoding.UTF8.GetBytes(KioskBody(Guid.NewGuid()))));
            probes.Add(KioskPost("/visit-code", "forged kiosk cookie", t.Slug, withAf, t.AntiforgeryToken, """{"code":"123456"}"""u8.ToArray()));
        }
        foreach (var value in values)
        {
            probes.Add(Get("GET /kiosk/{slug}", $"slug:{value.Kind}", $"/kiosk/{value.UrlEncoded}", cookie));
            probes.Add(Get("GET /waiting/{slug}", $"slug:{value.Kind}", $"/waiting/{value.UrlEncoded}"));
            probes.Add(KioskPost("/responses", $"slug:{value.Kind}", value.UrlEncoded, cookie, t.AntiforgeryToken, Encoding.UTF8.GetBytes(KioskBody(Guid.NewGuid()))));
            probes.Add(KioskPost("/visit-code", $"code:{value.Kind}", t.Slug, cookie, t.AntiforgeryToken, Splice("""{"code":§}""", value.JsonLiteral)));
            probes.Add(KioskPost("/responses", $"antiforgery header:{value.Kind}", t.Slug, cookie, value.Text.ReplaceLineEndings(" ").Replace("\0", "") is { Length: < 4000 } header && header.All(c => c is >= ' ' and <= '~') ? header : "forged", Encoding.UTF8.GetBytes(KioskBody(Guid.NewGuid()))));
            // Each field hostile in turn; the rest valid, and a score out of range so nothing can be stored.
            foreach (var field in new[] { "id", "version", "answers", "answers.booking", "answer key", "comment", "contactRequested", "visitCode", "seconds", "partial" })
                probes.Add(KioskPost("/responses", $"{field}:{value.Kind}", t.Slug, cookie, t.AntiforgeryToken, KioskBodyWith(field, value)));
        }
        var valid = KioskBody(Guid.NewGuid());
        foreach (var (kind, body) in BadJson(valid))
            probes.Add(KioskPost("/responses", kind, t.Slug, cookie, t.AntiforgeryToken, body));
        // Without a comment: a response with no answers but a comment is one worth keeping.
        var uncommented = Without(valid, "comment");
        foreach (var field in new[] { "id", "version", "answers" })
            probes.Add(KioskPost("/responses", $"missing {field}", t.Slug, cookie, t.AntiforgeryToken, Encoding.UTF8.GetBytes(Without(uncommented, field))));
        probes.Add(KioskPost("/responses", "antiforgery missing", t.Slug, cookie, null, Encoding.UTF8.GetBytes(valid)));
        probes.Add(KioskPost("/responses", "antiforgery cookie missing", t.Slug, $"cx.kiosk={t.KioskSecret}", t.AntiforgeryToken, Encoding.UTF8.GetBytes(valid)));
        probes.Add(KioskPost("/responses", "20 KB body", t.Slug, cookie, t.AntiforgeryToken, Encoding.UTF8.GetBytes(valid.Insert(1, $"\"comment\":\"{new string('c', 20_000)}\","))));
        foreach (var (kind, contentType) in WrongContentTypes)
            probes.Add(Post("POST /kiosk/{slug}/responses", kind, $"/kiosk/{t.Slug}/responses",
                () => Content(Encoding.UTF8.GetBytes(KioskBody(Guid.NewGuid())), contentType), cookie, t.AntiforgeryToken));
    }

    /// <summary>A kiosk response that would be refused anyway: "booking" scored 99.</summary>
    private static string KioskBody(Guid id) => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99,"wait":4},"comment":"ok","seconds":21}""";

    private static byte[] KioskBodyWith(string field, HostileValue value)
    {
        var id = Guid.NewGuid();
        var template = field switch
        {
            "id" => """{"id":§,"version":1,"answers":{"booking":99},"seconds":21}""",
            "version" => $$"""{"id":"{{id}}","version":§,"answers":{"booking":99},"seconds":21}""",
            // No comment: with answers null (or empty) a comment alone would be a response worth keeping.
            "answers" => $$"""{"id":"{{id}}","version":1,"answers":§,"seconds":21,"visitCode":"12"}""",
            "answers.booking" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":§},"visitCode":"12"}""",
            "answer key" => $$$"""{"id":"{{{id}}}","version":1,"answers":{§:5,"booking":99}}""",
            "comment" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99},"comment":§}""",
            "contactRequested" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99},"contactRequested":§}""",
            "visitCode" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99},"visitCode":§}""",
            "seconds" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99},"seconds":§}""",
            "partial" => $$"""{"id":"{{id}}","version":1,"answers":{"booking":99},"partial":§}""",
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        // A key must be a JSON string: a non-string literal becomes its text.
        var literal = field == "answer key" && value.JsonLiteral is [not (byte)'"', ..] ? JsonSerializer.SerializeToUtf8Bytes(value.Text) : value.JsonLiteral;
        return Splice(template, literal);
    }

    private static Probe KioskPost(string path, string attack, string slug, string cookie, string? token, byte[] body) =>
        Post($"POST /kiosk/{{slug}}{path}", attack, $"/kiosk/{slug}{path}", () => Content(body, "application/json"), cookie, token);

    // ------------------------------------------------------------------ links: /unsubscribe, /kiosk-setup

    private static void Links(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        var af = $"__RequestVerificationToken={Escape(t.AntiforgeryToken)}";
        foreach (var token in BogusTokens(t.UnsubscribeToken))
        {
            probes.Add(Get("GET /unsubscribe/{token}", "bogus token", $"/unsubscribe/{token}"));
            // RFC 8058 one-click: what a mail client sends, without antiforgery.
            probes.Add(PostForm("POST /unsubscribe/{token}", "bogus token", $"/unsubscribe/{token}", "List-Unsubscribe=One-Click", t, cookie: ""));
        }
        foreach (var token in BogusTokens("CfDJ8" + new string('K', 120)).Concat(["demo-", "demo-x", "demo-" + new string('d', 3000)]))
        {
            probes.Add(Get("GET /kiosk-setup/{token}", "bogus token", $"/kiosk-setup/{token}"));
            probes.Add(PostForm("POST /kiosk-setup/{token}", "bogus token", $"/kiosk-setup/{token}", af, t));
        }
        foreach (var value in values)
            probes.Add(PostForm("POST /unsubscribe/{token}", $"body:{value.Kind}", $"/unsubscribe/{t.UnsubscribeToken[..^3]}", $"List-Unsubscribe={value.UrlEncoded}", t, cookie: ""));
        FormAttacks(probes, "POST /kiosk-setup/{token}", "/kiosk-setup/forged", new() { ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken) }, t);
    }

    // ------------------------------------------------------------------ staff sign-in

    /// <summary>Return URLs that lead off the site; a redirect must never follow one.</summary>
    public static readonly string[] OffSiteReturnUrls =
    [
        "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", "/%2f%2fevil.example",
        "/%5cevil.example", "%2f%2fevil.example", " //evil.example", "\t//evil.example", "/\t/evil.example", "javascript:alert(1)",
        "http://127.0.0.1.evil.example/", "/staff@evil.example", "//evil.example/%2e%2e", "///evil.example", "/\r\n//evil.example",
    ];

    private static void SignIn(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        var form = new Dictionary<string, string>
        {
            ["email"] = Escape($"nobody@{t.EmailDomain}"), ["password"] = "Wrong-Password-1", ["returnUrl"] = "%2Fstaff",
            ["__RequestVerificationToken"] = Escape(t.AntiforgeryToken),
        };
        foreach (var url in OffSiteReturnUrls)
        {
            probes.Add(Get("GET /signin", "returnUrl off-site", $"/signin?returnUrl={Escape(url)}"));
            probes.Add(Get("GET /signin/two-factor", "returnUrl off-site", $"/signin/two-factor?returnUrl={Escape(url)}"));
            probes.Add(PostForm("POST /signin", "returnUrl off-site", "/signin", Query(form, "returnUrl", Escape(url)), t));
            probes.Add(Get("GET /staff", "ReturnUrl off-site", $"/staff?ReturnUrl={Escape(url)}"));
        }
        foreach (var value in values)
        {
            foreach (var field in new[] { "email", "password", "returnUrl" })
                probes.Add(PostForm("POST /signin", $"{field}:{value.Kind}", "/signin", Query(form, field, value.UrlEncoded), t));
            probes.Add(PostForm("POST /signin/two-factor", $"code:{value.Kind}", "/signin/two-factor",
                $"code={value.UrlEncoded}&returnUrl=%2F%2Fevil.example&__RequestVerificationToken={Escape(t.AntiforgeryToken)}", t));
        }
        FormAttacks(probes, "POST /signin", "/signin", form, t);
        FormAttacks(probes, "POST /signout", "/signout", new() { ["__RequestVerificationToken"] = "forged" }, t);
        probes.Add(Get("GET /signout", "get", "/signout"));
    }

    // ------------------------------------------------------------------ home, status and error pages, staff pages unsigned

    private static void PagesAndStaff(List<Probe> probes, HostileTargets t, IReadOnlyList<HostileValue> values)
    {
        foreach (var value in values.Where(v => v.Kind is "script" or "sql" or "path" or "invalid-utf8" or "crlf" or "overlong"))
        {
            probes.Add(Get("GET /", $"query:{value.Kind}", $"/?q={value.UrlEncoded}&handler={value.UrlEncoded}"));
            probes.Add(Get("GET /Status/{code}", $"code:{value.Kind}", $"/Status/{value.UrlEncoded}"));
            probes.Add(Get("GET /staff/customers", $"unsigned q:{value.Kind}", $"/staff/customers?q={value.UrlEncoded}"));
        }
        foreach (var code in new[] { "0", "-1", "99999999999", "500", "200", "302", "2147483648" })
            probes.Add(Get("GET /Status/{code}", "code out of range", $"/Status/{code}"));
        probes.Add(Get("GET /Error", "direct", "/Error"));
        probes.Add(PostForm("POST /Error", "direct", "/Error", "x=1", t));
        probes.Add(PostForm("POST /Status/{code}", "direct", "/Status/404", "x=<script>alert(1)</script>", t, cookie: ""));
        foreach (var path in new[] { "/staff", "/staff/accounts", "/staff/jobs", "/staff/insights", "/staff/admin", "/staff/book", "/staff/kiosks", "/staff/schedule" })
        {
            probes.Add(Get("GET /staff/*", "unsigned", path));
            probes.Add(Get("GET /staff/*", "forged staff cookie", path, $"cx.staff=CfDJ8{new string('Z', 200)}"));
            probes.Add(PostForm("POST /staff/*", "unsigned, real antiforgery", path, $"__RequestVerificationToken={Escape(t.AntiforgeryToken)}&name=x", t));
        }
        probes.Add(Get("GET /openapi/v1.json", "junk query", "/openapi/v1.json?%00=%C3%28"));
        probes.Add(Get("GET /healthz", "junk query", "/healthz?<script>alert(1)</script>"));
    }

    // ------------------------------------------------------------------ raw bytes: what HttpClient refuses to send

    private static void Raw(List<Probe> probes, HostileTargets t, Uri baseAddress, IReadOnlyList<HostileValue> values)
    {
        var host = baseAddress.Authority;
        byte[] Request(string requestLine, string headers = "", byte[]? body = null) =>
        [
            .. Encoding.Latin1.GetBytes($"{requestLine}\r\nHost: {host}\r\nConnection: close\r\n{headers}"
                + (body is null ? "" : $"Content-Length: {body.Length}\r\n") + "\r\n"),
            .. body ?? [],
        ];
        foreach (var path in new[]
        {
            $"/manage/../staff/accounts", $"/manage/%2e%2e/%2e%2e/staff", $"/manage/{t.ManageToken}/../../staff", $"/survey/..%2f..%2fstaff",
            "/kiosk/..%2f..%2fstaff%2fkiosks/responses", "/book/..;/staff", "/%2e%2e/%2e%2e/etc/passwd", "/manage/%00", "/survey/%ff%fe",
            "//evil.example/", "/\\evil.example", "/staff%2f..%2f..%2fbook", "/book%00.cshtml", "/Pages/Book/Details.cshtml", "/appsettings.json",
            "/.git/config", "/manage/%c0%ae%c0%ae/staff", "/unsubscribe/..%5c..%5cstaff",
        })
        {
            probes.Add(new Probe("RAW path", path, Raw: Request($"GET {path} HTTP/1.1")));
            probes.Add(new Probe("RAW path", "POST " + path, Raw: Request($"POST {path} HTTP/1.1", "Content-Type: application/x-www-form-urlencoded\r\n", "a=1"u8.ToArray())));
        }
        probes.Add(new Probe("RAW request line", "invalid utf8 in path", Raw: [.. "GET /manage/"u8, 0xC3, 0x28, 0xFF, .. " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8]));
        probes.Add(new Probe("RAW request line", "nul in path", Raw: [.. "GET /book\0/time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8]));
        probes.Add(new Probe("RAW request line", "20 KB URL", Raw: Request($"GET /book/time?serviceId={new string('a', 20_000)} HTTP/1.1")));
        probes.Add(new Probe("RAW request line", "bad version", Raw: Request("GET /book HTTP/9.9")));
        probes.Add(new Probe("RAW request line", "bad method", Raw: Request("G\u00c9T /book HTTP/1.1")));
        probes.Add(new Probe("RAW request line", "absolute evil URI", Raw: Request("GET http://evil.example/signin?returnUrl=//evil.example HTTP/1.1")));
        probes.Add(new Probe("RAW headers", "host evil", Raw: Encoding.Latin1.GetBytes("GET /staff HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")));
        probes.Add(new Probe("RAW headers", "forwarded host evil", Raw: Request("GET /staff HTTP/1.1", "X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 1.2.3.4, <script>\r\n")));
        probes.Add(new Probe("RAW headers", "header injection", Raw: Request("GET /book HTTP/1.1", $"X-Test: a\rb\r\nX-Other: \0\r\n")));
        probes.Add(new Probe("RAW headers", "64 KB header", Raw: Request("GET /book HTTP/1.1", $"X-Big: {new string('h', 65_000)}\r\n")));
        probes.Add(new Probe("RAW headers", "200 headers", Raw: Request("GET /book HTTP/1.1", string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: {i}\r\n")))));
        probes.Add(new Probe("RAW headers", "cookie invalid utf8", Raw: [.. Request("GET /kiosk/" + t.Slug + " HTTP/1.1")[..^2], .. "Cookie: cx.kiosk="u8, 0xC3, 0x28, 0xFF, .. "\r\n\r\n"u8]));
        probes.Add(new Probe("RAW headers", "content-length and chunked", Raw: Request("POST /api/v1/bookings HTTP/1.1", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"u8.ToArray())));
        probes.Add(new Probe("RAW headers", "negative content-length", Raw: Encoding.Latin1.GetBytes($"POST /api/v1/bookings HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{{}}")));
        probes.Add(new Probe("RAW headers", "content-length too short", Raw: Encoding.Latin1.GetBytes($"POST /api/v1/bookings HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{\"serviceId\":1}}")));
        // Bodies beyond Kestrel's 30 MB limit: announced by Content-Length, or streamed in chunks with none.
        foreach (var (endpoint, path, type) in new[]
        {
            ("POST /api/v1/bookings", "/api/v1/bookings", "application/json"),
            ("POST /kiosk/{slug}/responses", $"/kiosk/{t.Slug}/responses", "application/json"),
            ("POST /book/details", $"/book/details?serviceId={t.ServiceId}&locationId={t.LocationId}&start={Escape(t.TakenStart)}", "application/x-www-form-urlencoded"),
            ("POST /survey/{token}", $"/survey/{t.SurveyToken}", "application/x-www-form-urlencoded"),
            ("POST /signin", "/signin", "application/x-www-form-urlencoded"),
        })
        {
            var headers = $"Content-Type: {type}\r\nCookie: cx.kiosk={t.KioskSecret}; cx.af={t.AntiforgeryCookie}\r\nRequestVerificationToken: {t.AntiforgeryToken}\r\n";
            probes.Add(new Probe(endpoint, "body 40 MB announced", Raw: Encoding.Latin1.GetBytes($"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}Content-Length: 40000000\r\n\r\n"), RawBodyBytes: 40_000_000));
            probes.Add(new Probe(endpoint, "body 31 MB chunked", Raw: Encoding.Latin1.GetBytes($"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}Transfer-Encoding: chunked\r\n\r\n"), RawBodyBytes: -31_000_000));
        }
        _ = values;
    }

    // ------------------------------------------------------------------ building blocks

    /// <summary>Percent-encodes every byte of the UTF-8 form except unreserved characters (a lone surrogate becomes U+FFFD).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
            builder.Append(b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                ? ((char)b).ToString() : $"%{b:X2}");
        return builder.ToString();
    }

    /// <summary>Fields already escaped, joined as a query or form body; <paramref name="field"/> replaced by <paramref name="value"/>.</summary>
    private static string Query(Dictionary<string, string> fields, string? field = null, string? value = null)
    {
        var all = new Dictionary<string, string>(fields);
        if (field is not null) all[field] = value!;
        return string.Join('&', all.Select(f => $"{Escape(f.Key)}={f.Value}"));
    }

    private static string Fill(string template, HostileTargets t) => template
        .Replace("\"V\"", $"\"{t.ServiceId}\"").Replace("\"L\"", $"\"{t.LocationId}\"")
        .Replace("\"S\"", $"\"{t.TakenStart}\"").Replace("\"E\"", $"\"hostile@{t.EmailDomain}\"");

    private static byte[] Splice(string template, byte[] literal)
    {
        var at = template.IndexOf('§');
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. literal, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
    }

    /// <summary>The JSON without one property (wherever it is nested).</summary>
    private static string Without(string json, string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (!node.Remove(property))
            node["customer"]?.AsObject().Remove(property);
        return node.ToJsonString();
    }

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Cookie(HostileTargets t) => $"cx.af={t.AntiforgeryCookie}";

    private static Probe Get(string endpoint, string attack, string url, string? cookie = null) =>
        new(endpoint, attack, () => WithCookie(new HttpRequestMessage(HttpMethod.Get, url), cookie));

    private static Probe Send(string endpoint, string attack, HttpMethod method, string url) =>
        new(endpoint, attack, () => new HttpRequestMessage(method, url));

    private static Probe Post(string endpoint, string attack, string url, Func<HttpContent> content, string? cookie = null, string? verificationHeader = null) =>
        new(endpoint, attack, () =>
        {
            var request = WithCookie(new HttpRequestMessage(HttpMethod.Post, url) { Content = content() }, cookie);
            if (verificationHeader is not null) request.Headers.TryAddWithoutValidation("RequestVerificationToken", verificationHeader);
            return request;
        });

    private static Probe PostJson(string endpoint, string attack, string url, byte[] body) =>
        Post(endpoint, attack, url, () => Content(body, "application/json"));

    /// <param name="cookie">Null: the real antiforgery cookie; "": none.</param>
    private static Probe PostForm(string endpoint, string attack, string url, string body, HostileTargets t, string? cookie = null,
        string contentType = "application/x-www-form-urlencoded") =>
        Post(endpoint, attack, url, () => Content(Encoding.ASCII.GetBytes(body), contentType), cookie ?? Cookie(t));

    private static HttpRequestMessage WithCookie(HttpRequestMessage request, string? cookie)
    {
        if (!string.IsNullOrEmpty(cookie)) request.Headers.TryAddWithoutValidation("Cookie", cookie);
        return request;
    }
}
