-- Insights benchmark data (bench/insights.sh), on top of the demo clinic (its 2 locations, 3 services, survey and
-- manager account): 40 staff, customers, :visits visits over three years (chains of recurring visits with recalls,
-- some late, some lapsed; no-shows, cancellations, future bookings), :responses survey responses with their answers
-- (realistic skips, partials, comments), recall emails in the outbox, recovery cases and goals.
-- psql -v visits=N -v responses=N -f insights-seed.sql. Pseudo-random but repeatable (setseed).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';
-- The generator keeps every reference whole; FK triggers row by row would triple the time.
SET session_replication_role = replica;
SELECT setseed(0.2026);

CREATE TEMP TABLE loc AS
SELECT id, (row_number() OVER (ORDER BY name) - 1)::int AS n, time_zone_id AS tz FROM cx.locations ORDER BY name LIMIT 2;
CREATE TEMP TABLE svc AS
SELECT id, recall_interval_days AS recall, name FROM cx.services WHERE is_active;
DO $$ BEGIN
  IF (SELECT count(*) FROM loc) < 2 OR NOT EXISTS (SELECT 1 FROM svc WHERE recall = 365) OR NOT EXISTS (SELECT 1 FROM svc WHERE recall = 730)
     OR NOT EXISTS (SELECT 1 FROM svc WHERE recall IS NULL) THEN
    RAISE EXCEPTION 'expected the demo clinic: 2 locations, services recalled yearly and every two years, one not recalled';
  END IF;
END $$;

-- Indexes are built once at the end (much faster than row by row); their definitions are kept here and replayed.
-- The no-overlap constraint is dropped for good (see the end).
CREATE TEMP TABLE kept_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
WHERE ns.nspname = 'cx' AND t.relname IN ('appointments', 'survey_responses', 'survey_answers', 'customers', 'outbound_emails', 'recovery_cases')
  AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
ALTER TABLE cx.appointments DROP CONSTRAINT appointments_no_overlap;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT name FROM kept_indexes LOOP EXECUTE 'DROP INDEX ' || r.name; END LOOP;
END $$;

-- 40 staff: per location 12 clinicians (perform visits) and 8 front desk (check in).
CREATE TEMP TABLE staff AS
SELECT 'bench-staff-' || l.n || '-' || lpad(k::text, 2, '0') AS id, l.id AS location_id, l.n AS loc, k,
       (ARRAY['Alex','Blair','Cameron','Devon','Emery','Finley','Harper','Jordan','Kendall','Logan','Parker','Quinn','Reese','Riley','Rowan','Sage','Skyler','Taylor','Tatum','Winter'])[k + 1]
         || ' ' || (ARRAY['Adams','Baker'])[l.n + 1] AS name
FROM loc l, generate_series(0, 19) k;
INSERT INTO cx.staff_users (id, user_name, normalized_user_name, email, normalized_email, email_confirmed, display_name, created_at,
                            security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
SELECT id, id || '@staff.bench', upper(id || '@staff.bench'), id || '@staff.bench', upper(id || '@staff.bench'), true, name,
       now() - interval '4 years', md5(id), md5(id || 'c'), false, false, true, 0
FROM staff;
INSERT INTO cx.staff_user_roles (user_id, role_id)
SELECT s.id, r.id FROM staff s JOIN cx.staff_roles r ON r.normalized_name = CASE WHEN s.k < 12 THEN 'CLINICIAN' ELSE 'FRONTDESK' END;
INSERT INTO cx.staff_locations (staff_user_id, location_id) SELECT id, location_id FROM staff;

-- 40 rooms per location: every visit gets its own room and 15-minute slot (the no-overlap constraint holds).
INSERT INTO cx.resources (id, location_id, name, kind, is_active)
SELECT gen_random_uuid(), l.id, 'Bench room ' || k, 'Room', false FROM loc l, generate_series(1, 40) k;
CREATE TEMP TABLE room AS
SELECT id, location_id, (row_number() OVER (PARTITION BY location_id ORDER BY name) - 1)::int AS k
FROM cx.resources WHERE name LIKE 'Bench room %';

-- Customers: enough for the visits (each comes back for their recurring service until they lapse); those the
-- visit count leaves without a visit are removed again.
CREATE UNLOGGED TABLE cx_bench_customer AS
SELECT n, gen_random_uuid() AS id,
       CASE WHEN random() < 0.55 THEN 0 ELSE 1 END AS loc,
       random() AS kind, random() AS first, random() AS stay
FROM generate_series(1, (:visits * 0.62)::int) n;
INSERT INTO cx.customers (id, full_name, email, normalized_email, phone, preferred_time_of_day, email_opt_out, created_at, preferred_location_id)
SELECT c.id,
       (ARRAY['Maria','Aisha','Chen','Olivia','Fatima','Grace','Sofia','Priya','Hannah','Yuki','Amara','Elena','Nora','Lucia','Ingrid','Camila','Mei','Leila','Rosa','Joan'])[1 + c.n % 20]
         || ' ' || (ARRAY['Garcia','Okafor','Wang','Smith','Haddad','Kim','Rossi','Patel','Muller','Tanaka','Mensah','Novak','Cohen','Larsen','Silva','Nguyen','Jones','Dubois'])[1 + (c.n / 20) % 18]
         || ' ' || c.n,
       'customer' || c.n || '@bench.example', 'customer' || c.n || '@bench.example', '+1 212 555 ' || lpad((c.n % 10000)::text, 4, '0'),
       'Any', random() < 0.03, now() - interval '3 years 2 months', l.id
FROM cx_bench_customer c JOIN loc l ON l.n = c.loc;

-- Visits: 60% of customers have the yearly service, 20% the two-yearly one, 20% one or two visits of the
-- service that is not recalled. A recurring customer comes back about when due (a month early to four months
-- late) for a geometric number of visits, then lapses. Three years back, six weeks ahead.
CREATE UNLOGGED TABLE cx_bench_visit AS
WITH plan AS (
    SELECT c.n, c.id AS customer_id, c.loc,
           CASE WHEN c.kind < 0.6 THEN 365 WHEN c.kind < 0.8 THEN 730 END AS recall,
           1 + floor(-ln(1 - c.stay) / 0.45)::int AS visits, c.first
    FROM cx_bench_customer c),
days AS (
    SELECT p.n, p.customer_id, p.loc, p.recall, j,
           CASE WHEN p.recall IS NULL THEN floor(p.first * 1140 + j * random() * 200)::int
                ELSE floor(p.first * p.recall + j * p.recall + CASE WHEN j = 0 THEN 0 ELSE random() * 150 - 30 END)::int END AS d
    FROM plan p, generate_series(0, 5) j
    WHERE j < CASE WHEN p.recall IS NULL THEN 1 + (p.n % 2) ELSE p.visits END)
SELECT d.n, d.customer_id, d.loc, d.recall, d.j,
       (current_date - 1095 + d.d) AS day,
       lag(current_date - 1095 + d.d) OVER (PARTITION BY d.n ORDER BY d.j) AS previous_day,
       random() AS r1, random() AS r2, random() AS r3
FROM days d
WHERE d.d <= 1095 + 42;

CREATE UNLOGGED TABLE cx_bench_appt AS
SELECT gen_random_uuid() AS id, v.customer_id, s.id AS service_id, l.id AS location_id, l.tz, v.recall, v.j, v.day, v.previous_day,
       v.r1, v.r2, v.r3, v.loc,
       row_number() OVER (PARTITION BY v.loc, v.day ORDER BY v.r3) - 1 AS slot
FROM cx_bench_visit v JOIN loc l ON l.n = v.loc
JOIN svc s ON s.recall IS NOT DISTINCT FROM v.recall
LIMIT :visits;

INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until, status, source,
                             calendar_sequence, created_at, checked_in_at, completed_at, cancelled_at, cancellation_reason,
                             performed_by_id, checked_in_by_id)
SELECT a.id, a.customer_id, a.service_id, a.location_id, r.id, t.start, t.start + interval '15 minutes', t.start + interval '15 minutes',
       t.status,
       CASE WHEN t.before_leaving THEN 'FrontDesk' WHEN a.r2 < 0.08 AND a.j > 0 THEN 'Rebooking' ELSE 'Online' END,
       0, t.created_at,
       CASE WHEN t.status = 'Completed' THEN t.start - interval '6 minutes' END,
       CASE WHEN t.status = 'Completed' THEN t.start + interval '14 minutes' END,
       CASE WHEN t.status = 'Cancelled' THEN least(t.start - interval '1 day', now()) END,
       CASE WHEN t.status = 'Cancelled' THEN 'Could not make it' END,
       CASE WHEN t.status = 'Completed' AND a.r1 > 0.03 THEN 'bench-staff-' || a.loc || '-' || lpad(((a.customer_id::text < 'l')::int * 6 + (a.slot % 6))::text, 2, '0') END,
       CASE WHEN t.status = 'Completed' AND a.r2 > 0.10 THEN 'bench-staff-' || a.loc || '-' || lpad((12 + (a.slot / 40) % 8)::text, 2, '0') END
FROM cx_bench_appt a
JOIN room r ON r.location_id = a.location_id AND r.k = a.slot % 40
CROSS JOIN LATERAL (
    SELECT ((a.day + time '08:00' + (a.slot / 40) * interval '15 minutes') AT TIME ZONE a.tz) AS start) s
CROSS JOIN LATERAL (
    SELECT s.start,
           CASE WHEN s.start > now() THEN CASE WHEN a.r1 < 0.04 THEN 'Cancelled' ELSE 'Booked' END
                WHEN a.r1 < 0.05 THEN 'NoShow' WHEN a.r1 < 0.09 THEN 'Cancelled' ELSE 'Completed' END AS status,
           a.previous_day IS NOT NULL AND a.r2 > 0.62 AS before_leaving,
           CASE WHEN a.previous_day IS NOT NULL AND a.r2 > 0.62
                THEN (a.previous_day + time '17:30') AT TIME ZONE a.tz
                ELSE least(s.start - (2 + a.r3 * 40) * interval '1 day', now() - interval '1 hour') END AS created_at) t;
DELETE FROM cx.customers c USING cx_bench_customer b
WHERE c.id = b.id AND NOT EXISTS (SELECT 1 FROM cx_bench_appt a WHERE a.customer_id = b.id);

-- Survey responses from completed visits (about 40% answer); 3% anonymous at the kiosk. Email answers come hours
-- to days later; some give up part-way (partial, no duration).
CREATE UNLOGGED TABLE cx_bench_response AS
SELECT gen_random_uuid() AS id, a.id AS appointment_id, a.customer_id, a.location_id, a.completed_at,
       random() AS anon, random() AS ch, random() AS part, random() AS dur, random() AS com,
       (SELECT n FROM loc WHERE id = a.location_id) AS loc
FROM cx.appointments a
WHERE a.status = 'Completed' AND a.start < now() - interval '1 day'
  AND NOT EXISTS (SELECT 1 FROM cx.survey_responses x WHERE x.appointment_id = a.id)
  AND random() < :responses::float8 / (SELECT count(*) FROM cx.appointments WHERE status = 'Completed') * 1.05
LIMIT :responses;

INSERT INTO cx.survey_responses (id, definition_version, channel, location_id, appointment_id, customer_id, started_at, submitted_at,
                                 duration_seconds, is_partial, comment, contact_requested)
SELECT r.id, 1, t.channel, r.location_id,
       CASE WHEN t.anonymous THEN NULL ELSE r.appointment_id END, CASE WHEN t.anonymous THEN NULL ELSE r.customer_id END,
       t.submitted - make_interval(secs => t.seconds), t.submitted,
       CASE WHEN r.part < 0.05 THEN NULL ELSE t.seconds END, r.part < 0.05,
       CASE WHEN r.com < 0.18 THEN (ARRAY[
           'Lovely staff, everything was explained clearly.', 'The wait was far too long and nobody told us why.',
           'Quick and easy, thank you.', 'Parking was impossible.', 'The technologist was very kind and patient.',
           'I was not told how long the results would take.', 'Booking online was simple.',
           'Reception was rude when I asked about the delay.', 'The room was cold.', 'Great experience as always.',
           'I had pain afterwards and nobody called back.', 'The reminders with directions helped a lot.'])[1 + floor(r.com / 0.18 * 12)::int] END,
       false
FROM cx_bench_response r
CROSS JOIN LATERAL (
    SELECT r.anon < 0.03 OR r.ch < 0.45 AS kiosk, r.anon < 0.03 AS anonymous,
           (20 + floor(-ln(1 - r.dur) * 70))::int AS seconds) k
CROSS JOIN LATERAL (
    SELECT CASE WHEN k.kiosk THEN 'Kiosk' ELSE 'Email' END AS channel, k.anonymous, k.seconds,
           CASE WHEN k.kiosk THEN r.completed_at + (5 + r.dur * 20) * interval '1 minute'
                ELSE r.completed_at + (2 + r.ch * 60) * interval '1 hour' END AS submitted) t;

-- Answers: seven questions, each skipped now and then (the reminders question most); partial responses stop after
-- the third. One weaker question at one location ("explained" at the second), like the demo's story.
INSERT INTO cx.survey_answers (response_id, question_key, score)
SELECT r.id, q.key,
       CASE WHEN q.scale = 'Recommend10' THEN
                CASE WHEN x.u < 0.45 THEN 10 WHEN x.u < 0.67 THEN 9 WHEN x.u < 0.80 THEN 8 WHEN x.u < 0.88 THEN 7 ELSE floor((x.u - 0.88) / 0.12 * 7)::int END
            ELSE CASE WHEN x.u < x.top THEN 5 WHEN x.u < x.top + 0.25 THEN 4 WHEN x.u < x.top + 0.33 THEN 3 WHEN x.u < x.top + 0.36 THEN 2 ELSE 1 END END
FROM cx_bench_response r
JOIN cx.survey_questions q ON q.definition_version = 1
CROSS JOIN LATERAL (
    SELECT random() AS u, random() AS skip,
           CASE WHEN q.key = 'explained' AND r.loc = 1 THEN 0.47 WHEN q.key = 'wait' THEN 0.52 ELSE 0.62 END AS top) x
WHERE x.skip >= CASE WHEN q.key = 'reminders' THEN 0.14 WHEN q.key = 'recommend' THEN 0.06 ELSE 0.04 END
  AND (r.part >= 0.05 OR q.position <= 3);

-- Recall emails: two weeks before a completed recurring visit falls due (97% of customers have not opted out);
-- a second one a fortnight after for a fifth of them.
INSERT INTO cx.outbound_emails (id, kind, idempotency_key, to_address, subject, text_body, customer_id, status, attempts,
                                created_at, next_attempt_at, sent_at)
SELECT gen_random_uuid(), 'recall',
       'recall:' || a.customer_id || ':' || a.service_id || ':' || to_char(d.due, 'YYYY-MM-DD') || ':' || step,
       'customer@bench.example', 'Your next visit is due', 'It is time for your next visit.', a.customer_id, 'Sent', 1,
       t.sent - interval '1 minute', t.sent, t.sent
FROM cx.appointments a JOIN cx.services s ON s.id = a.service_id
CROSS JOIN LATERAL (SELECT (a.start + make_interval(days => s.recall_interval_days))::date AS due) d
CROSS JOIN LATERAL (VALUES (1, -14), (2, 14)) st(step, offset_days)
CROSS JOIN LATERAL (SELECT (d.due + st.offset_days + time '10:00') AT TIME ZONE 'UTC' AS sent) t
WHERE a.status = 'Completed' AND s.recall_interval_days IS NOT NULL AND t.sent < now()
  AND (st.step = 1 OR hashtext(a.id::text) % 5 = 0) AND hashtext(a.customer_id::text) % 33 <> 0
  -- The demo clinic's own visits have their recall emails already (same keys).
  AND a.id IN (SELECT id FROM cx_bench_appt);

-- Recovery cases: for about one response in fifty (some of those with a very poor score); resolved (with a root cause) after a few days
-- unless recent; some open ones overdue.
INSERT INTO cx.recovery_cases (id, source, response_id, appointment_id, customer_id, location_id, summary, opened_at, due_at, status,
                               first_contact_at, resolved_at, root_cause, clinical, heard)
SELECT gen_random_uuid(), 'Survey', r.id, r.appointment_id, r.customer_id, r.location_id, 'A poor score on the survey',
       r.submitted_at, r.submitted_at + interval '1 day', t.status,
       CASE WHEN t.status <> 'Open' THEN r.submitted_at + (1 + t.u * 60) * interval '1 hour' END,
       CASE WHEN t.status = 'Resolved' THEN r.submitted_at + (2 + t.u * 5) * interval '1 day' END,
       CASE WHEN t.status = 'Resolved' THEN (ARRAY['WaitTime','WaitTime','WaitTime','Communication','Communication','Scheduling','StaffCourtesy','Facility','Billing','Clinical','Other'])[1 + floor(t.u * 11)::int] END,
       coalesce(r.comment LIKE '%pain%', false), CASE WHEN t.status = 'Resolved' THEN 'HEARD' ELSE 'H' END
FROM cx.survey_responses r
CROSS JOIN LATERAL (SELECT random() AS u) x
CROSS JOIN LATERAL (
    SELECT x.u AS u, CASE WHEN r.submitted_at < now() - interval '14 days' OR x.u < 0.3 THEN 'Resolved' WHEN x.u < 0.7 THEN 'Contacted' ELSE 'Open' END AS status) t
WHERE r.id IN (SELECT response_id FROM cx.survey_answers WHERE score <= 1 AND question_key <> 'recommend')
  AND hashtext(r.id::text) % 8 = 0
  -- The demo's own unhappy responses have their cases already (one case per response).
  AND r.id IN (SELECT id FROM cx_bench_response);

-- Goals in force this quarter, as a clinic would set them.
INSERT INTO cx.goals (id, metric, question_key, location_id, staff_user_id, target, "from", "to", created_at, created_by_id)
SELECT gen_random_uuid(), g.metric, g.question_key, CASE WHEN g.at_location THEN (SELECT id FROM loc WHERE n = 1) END, g.staff,
       g.target, date_trunc('quarter', now())::date, (date_trunc('quarter', now()) + interval '3 months' - interval '1 day')::date, now(),
       (SELECT id FROM cx.staff_users WHERE normalized_email = 'MANAGER@NORTHSIDE.EXAMPLE')
FROM (VALUES ('Retention', NULL, false, NULL, 80.0), ('QuestionTopBox', 'explained', true, NULL, 90.0), ('Nps', NULL, false, NULL, 60.0),
             ('NoShowRate', NULL, true, NULL, 5.0), ('OverallTopBox', NULL, false, 'bench-staff-0-03', 85.0)) g(metric, question_key, at_location, staff, target);

-- The no-overlap constraint is left off: rebuilding its GiST index over 3,000,000 visits took 25 of the 45 minutes,
-- and no insights figure reads it (the generator gives every visit its own room and slot anyway).
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT def FROM kept_indexes LOOP EXECUTE r.def; END LOOP;
END $$;
DROP TABLE cx_bench_customer, cx_bench_visit, cx_bench_appt, cx_bench_response;
RESET session_replication_role;
-- The insights daily counts are kept by triggers, which were off for the bulk load: counted afresh.
TRUNCATE cx.insight_days, cx.insight_staff_days, cx.insight_visit_days;
SELECT cx.insight_count_responses(array_agg(id), 1) FROM cx.survey_responses;
SELECT cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), 1)
FROM (SELECT DISTINCT customer_id, service_id FROM cx.appointments) pairs;
-- So is each customer's last completed visit of each recalled service (as the migration that added the table fills it).
TRUNCATE cx.insight_last_visits;
INSERT INTO cx.insight_last_visits (customer_id, service_id, location_id, appointment_id, day, due, performed_by_id, checked_in_by_id, booked)
SELECT last.customer_id, last.service_id, last.location_id, last.id, last.day, last.day + last.recall,
       last.performed_by_id, last.checked_in_by_id,
       EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = last.customer_id AND b.service_id = last.service_id
                 AND b.start > last.start AND b.status IN ('Booked', 'CheckedIn'))
FROM (SELECT DISTINCT ON (a.customer_id, a.service_id) a.customer_id, a.service_id, a.id, a.start, a.location_id,
             a.performed_by_id, a.checked_in_by_id, (a.start AT TIME ZONE l.time_zone_id)::date AS day, s.recall_interval_days AS recall
      FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id JOIN cx.services s ON s.id = a.service_id
      WHERE a.status = 'Completed' AND s.recall_interval_days IS NOT NULL
      ORDER BY a.customer_id, a.service_id, a.start DESC) last;
VACUUM ANALYZE;
