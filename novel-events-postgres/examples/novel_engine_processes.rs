//! The Novel Engine across processes: the services of the Novel Engine specification, each an
//! OS process of this one binary, on NATS JetStream ([`JetStreamBus`]) and PostgreSQL
//! ([`PostgresEventStore`]).
//!
//! - `character-service` appends `CharacterCreated` (a protagonist, an antagonist, an NPC) and
//!   `CharacterSkillGained` to the store, then the [`LogRelay`] publishes the log to JetStream;
//! - `memory-service --instance N`, started twice: both instances pull from one durable
//!   subscription, so each event is handled once across them (each says which it handled);
//! - `story-engine` refuses NPCs for good: that event goes to the dead-letter stream with the
//!   reason;
//! - `campaign-manager` keeps a read model in PostgreSQL (characters per type), each event
//!   applied in the same transaction as the projection's checkpoint ([`PostgresProjection`]).
//!
//! `run-all` starts the subscribers as child processes, then the Character Service, waits
//! (at most a minute) until every event went through, prints a summary, stops the children and
//! removes the run's streams and schema (`--keep` leaves them). Every run takes a fresh catalog
//! (stream) name and schema, printed, so that the services can also be started one by one, in
//! terminals of their own, with the same `--catalog` and `--schema`.
//!
//! ```sh
//! cargo run -p novel-events-postgres --example novel_engine_processes -- run-all
//! cargo run -p novel-events-postgres --example novel_engine_processes -- --help
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterSkillGained, CharacterType, PersonalityTraits,
};
use novel_events::{
    CheckpointStore, DeadLetters, Envelope, EventAppender, EventBus, EventReader, ExpectedVersion,
    HandlerError, HandlerResult, LogRelay, RetryPolicy, StoredEvent, SubscriptionOptions,
    handler_fn, on,
};
use novel_events_nats::{BusOptions, JetStreamBus, StartFrom};
use novel_events_postgres::sqlx::{self, Connection as _, PgConnection};
use novel_events_postgres::{PostgresEventStore, PostgresOptions, PostgresProjection};
use tokio::sync::mpsc;
use uuid::Uuid;

/// Any error of this program.
pub type AnyError = Box<dyn Error + Send + Sync>;

const USAGE: &str = "\
The Novel Engine services as separate processes, on NATS JetStream and PostgreSQL.

Usage: novel_engine_processes [OPTIONS] <COMMAND>

Commands:
  run-all                  start every service as a child process, run the flow, print a summary
  character-service        append the characters' events to the store and relay them to JetStream
  memory-service           handle every character event (start two, with --instance 1 and 2)
  story-engine             handle CharacterCreated, refusing NPCs (dead-lettered)
  campaign-manager         keep the campaign roster read model in PostgreSQL

Options:
  --nats <URL>             NATS server [default: $NOVEL_EVENTS_NATS_URL, else nats://127.0.0.1:4222]
  --postgres <URL>         PostgreSQL [default: $NOVEL_EVENTS_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test]
  --catalog <NAME>         the JetStream catalog (stream) name [default: a fresh one, printed]
  --schema <NAME>          the PostgreSQL schema [default: a fresh one, printed]
  --instance <N>           the Memory Service instance number [default: 1]
  --keep                   run-all: keep the streams and the schema at the end
  -h, --help               print this help

A subscriber runs until its standard input closes (Ctrl-D) or it is interrupted (Ctrl-C).";

/// Where the services meet: servers, catalog and schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The NATS server's URL.
    pub nats: String,
    /// The PostgreSQL server's URL.
    pub postgres: String,
    /// The JetStream catalog name (the events stream's name).
    pub catalog: String,
    /// The PostgreSQL schema of the store and the read model.
    pub schema: String,
    /// The Memory Service's instance number.
    pub instance: u32,
    /// Whether `run-all` keeps the streams and the schema.
    pub keep: bool,
}

impl Settings {
    /// The servers of the environment (or 127.0.0.1), a fresh catalog and schema.
    pub fn fresh() -> Self {
        let run = Uuid::new_v4().simple().to_string();
        Self {
            nats: std::env::var("NOVEL_EVENTS_NATS_URL")
                .unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned()),
            postgres: std::env::var("NOVEL_EVENTS_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned()),
            catalog: format!("novel-engine-{}", &run[..12]),
            schema: format!("novel_engine_{}", &run[..12]),
            instance: 1,
            keep: false,
        }
    }

    /// The options that make a service of this run: `--nats`, `--postgres`, `--catalog`,
    /// `--schema`.
    pub fn service_args(&self) -> Vec<String> {
        vec![
            "--nats".into(),
            self.nats.clone(),
            "--postgres".into(),
            self.postgres.clone(),
            "--catalog".into(),
            self.catalog.clone(),
            "--schema".into(),
            self.schema.clone(),
        ]
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Print the usage.
    Help,
    /// Every service, as child processes.
    RunAll,
    /// Character Service.
    CharacterService,
    /// One Memory Service instance.
    MemoryService,
    /// Story Engine.
    StoryEngine,
    /// Campaign Manager.
    CampaignManager,
}

/// Parses the arguments (without the program's name).
pub fn parse(args: &[String]) -> Result<(Role, Settings), String> {
    let mut settings = Settings::fresh();
    let mut service = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "-h" | "--help" | "help" => return Ok((Role::Help, settings)),
            "--nats" => settings.nats = value(arg)?,
            "--postgres" => settings.postgres = value(arg)?,
            "--catalog" => settings.catalog = value(arg)?,
            "--schema" => settings.schema = value(arg)?,
            "--instance" => {
                settings.instance = value(arg)?
                    .parse()
                    .map_err(|_| "--instance needs a number".to_owned())?;
            }
            "--keep" => settings.keep = true,
            command if service.is_none() && !command.starts_with('-') => {
                service = Some(match command {
                    "run-all" => Role::RunAll,
                    "character-service" => Role::CharacterService,
                    "memory-service" => Role::MemoryService,
                    "story-engine" => Role::StoryEngine,
                    "campaign-manager" => Role::CampaignManager,
                    other => return Err(format!("unknown command `{other}`")),
                });
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let valid = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    };
    if !valid(&settings.catalog) {
        return Err("--catalog takes lowercase letters, digits, `-` and `_`".into());
    }
    if !valid(&settings.schema) || settings.schema.contains('-') {
        return Err("--schema takes lowercase letters, digits and `_`".into());
    }
    service
        .map(|service| (service, settings))
        .ok_or_else(|| "a command is needed".to_owned())
}

async fn open_store(settings: &Settings) -> Result<PostgresEventStore<AnyEvent>, AnyError> {
    let options = PostgresOptions {
        schema: settings.schema.clone(),
        max_connections: 3,
        ..PostgresOptions::default()
    };
    PostgresEventStore::open_with(&settings.postgres, options)
        .await
        .map_err(|error| format!("PostgreSQL at {}: {error}", settings.postgres).into())
}

async fn connect_bus(settings: &Settings) -> Result<JetStreamBus<AnyEvent>, AnyError> {
    let options = BusOptions {
        // A subscriber started after the events were published still gets them.
        start: StartFrom::All,
        poll: Duration::from_millis(250),
        ..BusOptions::default()
    };
    JetStreamBus::connect(&settings.nats, &settings.catalog, options)
        .await
        .map_err(|error| format!("NATS JetStream at {}: {error}", settings.nats).into())
}

/// Resolves when standard input closes (the way `run-all` stops its children).
fn stdin_closed() -> tokio::sync::oneshot::Receiver<()> {
    let (closed, receiver) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::stdin()
            .read_line(&mut line)
            .is_ok_and(|read| read > 0)
        {
            line.clear();
        }
        let _ = closed.send(());
    });
    receiver
}

fn traits() -> PersonalityTraits {
    PersonalityTraits {
        openness: 0.8,
        conscientiousness: 0.6,
        extraversion: 0.4,
        agreeableness: 0.7,
        neuroticism: 0.3,
    }
}

/// Character Service: appends the characters' events, then relays the log to JetStream.
async fn character_service(settings: &Settings) -> Result<(), AnyError> {
    let store = open_store(settings).await?;
    let bus = connect_bus(settings).await?;
    let author = Uuid::now_v7();
    let cast = [
        ("Mira Vale", CharacterType::Protagonist),
        ("Oren Kast", CharacterType::Antagonist),
        ("Tobble the innkeeper", CharacterType::Npc),
    ];
    for (name, kind) in cast {
        let character = Uuid::now_v7();
        let mut events = vec![
            Envelope::new(
                AnyEvent::from(CharacterCreated {
                    character_id: character,
                    name: name.into(),
                    r#type: kind,
                    personality_traits: traits(),
                    background: format!("{name} grew up on the edge of the Ashen Wastes."),
                    configuration: serde_json::Map::new(),
                    created_by: author,
                }),
                "character-service",
            )
            .with_user(author),
        ];
        if kind == CharacterType::Protagonist {
            events.push(
                Envelope::caused_by(
                    &events[0],
                    AnyEvent::from(CharacterSkillGained {
                        character_id: character,
                        skill_name: "cartography".into(),
                        skill_level: 3,
                        acquisition_method: AcquisitionMethod::Training,
                        context: "mapped the sunken quarter".into(),
                    }),
                )
                .with_source("character-service"),
            );
        }
        for event in &events {
            println!(
                "character-service appended {} {} ({name})",
                event.event_type(),
                event.event_id
            );
        }
        store
            .append(character, ExpectedVersion::NoStream, events)
            .await?;
    }
    let relay = LogRelay::new(store, bus.clone());
    let published = relay.relay_pending().await?;
    println!("character-service published {published} events to JetStream (log relay)");
    bus.shutdown(Duration::from_secs(2)).await;
    Ok(())
}

/// Memory Service: every event of the catalog, once across its instances.
async fn memory_service(settings: &Settings) -> Result<(), AnyError> {
    let bus = connect_bus(settings).await?;
    let who = format!("memory-service#{}", settings.instance);
    let handler_who = who.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler_fn(move |event: Arc<Envelope<AnyEvent>>| {
            let who = handler_who.clone();
            async move {
                // Remembering takes a moment, so that both instances get work.
                tokio::time::sleep(Duration::from_millis(150)).await;
                println!("{who} handled {} {}", event.event_type(), event.event_id);
                HandlerResult::Ok(())
            }
        }),
    )
    .await?;
    println!("{who} ready");
    let _ = stdin_closed().await;
    bus.shutdown(Duration::from_secs(2)).await;
    Ok(())
}

/// Story Engine: `CharacterCreated`, refusing NPCs for good.
async fn story_engine(settings: &Settings) -> Result<(), AnyError> {
    let bus = connect_bus(settings).await?;
    let retry =
        RetryPolicy::default().with_delays(Duration::from_millis(100), Duration::from_secs(1));
    bus.subscribe(
        SubscriptionOptions::asynchronous("story-engine").with_retry(retry),
        on(|event: Envelope<CharacterCreated>| async move {
            if event.payload.r#type == CharacterType::Npc {
                let reason = "NPCs are not registered for narratives";
                println!(
                    "story-engine refused {} {} ({}): {reason}, for good (dead-lettered)",
                    event.event_type(),
                    event.event_id,
                    event.payload.name
                );
                return Err(HandlerError::permanent(reason));
            }
            println!(
                "story-engine handled {} {} ({})",
                event.event_type(),
                event.event_id,
                event.payload.name
            );
            HandlerResult::Ok(())
        }),
    )
    .await?;
    println!("story-engine ready");
    let _ = stdin_closed().await;
    bus.shutdown(Duration::from_secs(2)).await;
    Ok(())
}

/// Campaign Manager's read model: characters per type, in `<schema>.campaign_roster`.
struct CampaignRoster {
    table: String,
}

impl CampaignRoster {
    const NAME: &'static str = "campaign-roster";

    fn new(schema: &str) -> Self {
        Self {
            table: format!("\"{schema}\".campaign_roster"),
        }
    }
}

impl PostgresProjection<AnyEvent> for CampaignRoster {
    fn name(&self) -> &str {
        Self::NAME
    }

    async fn apply(
        &mut self,
        transaction: &mut PgConnection,
        event: &StoredEvent<AnyEvent>,
    ) -> Result<(), sqlx::Error> {
        let AnyEvent::CharacterCreated(created) = &event.envelope.payload else {
            return Ok(());
        };
        let kind = serde_json::to_value(created.r#type)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{:?}", created.r#type));
        let upsert = format!(
            "INSERT INTO {table} (character_type, characters) VALUES ($1, 1)
             ON CONFLICT (character_type) DO UPDATE SET characters = {table}.characters + 1",
            table = self.table
        );
        sqlx::query(sqlx::AssertSqlSafe(upsert))
            .bind(kind)
            .execute(transaction)
            .await?;
        Ok(())
    }
}

/// Campaign Manager: brings the roster up to the end of the log, again and again.
async fn campaign_manager(settings: &Settings) -> Result<(), AnyError> {
    let store = open_store(settings).await?;
    let mut roster = CampaignRoster::new(&settings.schema);
    let mut connection = PgConnection::connect(&settings.postgres).await?;
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {} (character_type text PRIMARY KEY, characters bigint NOT NULL)",
        roster.table
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut connection)
        .await?;
    connection.close().await?;
    println!("campaign-manager ready");
    let mut stop = stdin_closed();
    loop {
        let applied = store.run_projection(&mut roster).await?;
        if applied > 0 {
            let checkpoint = store.load_checkpoint(CampaignRoster::NAME).await?;
            println!("campaign-manager projected {applied} events (checkpoint {checkpoint})");
        }
        tokio::select! {
            _ = &mut stop => return Ok(()),
            () = tokio::time::sleep(Duration::from_millis(200)) => {}
        }
    }
}

/// Runs one service (not `run-all`) until it is done or stopped.
pub async fn run_service(service: Role, settings: &Settings) -> Result<(), AnyError> {
    match service {
        Role::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Role::RunAll => Err("run-all is not a service".into()),
        Role::CharacterService => character_service(settings).await,
        Role::MemoryService => memory_service(settings).await,
        Role::StoryEngine => story_engine(settings).await,
        Role::CampaignManager => campaign_manager(settings).await,
    }
}

/// A dead letter as the summary shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The subscriber that gave up.
    pub subscriber: String,
    /// The event's eventId.
    pub event_id: Option<Uuid>,
    /// Why.
    pub error: String,
}

/// What `run-all` saw.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The eventIds the Character Service appended, in order.
    pub appended: Vec<Uuid>,
    /// Per eventId, the Memory Service instances that handled it.
    pub memory: BTreeMap<Uuid, Vec<String>>,
    /// The events Story Engine handled.
    pub stories: Vec<Uuid>,
    /// The dead letters of the run.
    pub dead_letters: Vec<Letter>,
    /// The roster read model: characters per type.
    pub roster: BTreeMap<String, i64>,
    /// The roster projection's checkpoint (the position of the last event applied).
    pub projected: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Summary")?;
        writeln!(
            f,
            "  Character Service appended {} events",
            self.appended.len()
        )?;
        let mut per_instance: BTreeMap<&str, usize> = BTreeMap::new();
        for instances in self.memory.values() {
            for instance in instances {
                *per_instance.entry(instance).or_default() += 1;
            }
        }
        for (instance, count) in &per_instance {
            writeln!(f, "  {instance} handled {count} events")?;
        }
        let once = self
            .appended
            .iter()
            .filter(|id| self.memory.get(id).is_some_and(|by| by.len() == 1))
            .count();
        writeln!(
            f,
            "  Memory Service: {once} of {} events handled exactly once across both instances",
            self.appended.len()
        )?;
        writeln!(f, "  Story Engine handled {} events", self.stories.len())?;
        for letter in &self.dead_letters {
            let id = letter.event_id.map_or("?".to_owned(), |id| id.to_string());
            writeln!(
                f,
                "  dead letter: {} gave up on {id}: {}",
                letter.subscriber, letter.error
            )?;
        }
        let roster: Vec<String> = self
            .roster
            .iter()
            .map(|(kind, count)| format!("{kind} {count}"))
            .collect();
        write!(
            f,
            "  Campaign Manager's roster (checkpoint {}): {}",
            self.projected,
            roster.join(", ")
        )
    }
}

/// A child process whose standard output comes back as lines.
struct Running {
    child: Child,
}

fn start(
    launch: &dyn Fn(&[String]) -> Command,
    args: Vec<String>,
    lines: &mpsc::UnboundedSender<String>,
) -> Result<Running, AnyError> {
    let mut command = launch(&args);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("starting {}: {error}", args[0]))?;
    let stdout = child.stdout.take().ok_or("no standard output")?;
    let lines = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    Ok(Running { child })
}

impl Running {
    /// Closes its standard input (it shuts down), kills it if it is still running after 10 s.
    fn stop(mut self) {
        drop(self.child.stdin.take());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Records what a service printed; `true` when the line is one of the services'.
fn record(line: &str, summary: &mut Summary, ready: &mut usize) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let id = || words.get(3).and_then(|id| Uuid::parse_str(id).ok());
    match words.as_slice() {
        [_, "ready", ..] => *ready += 1,
        ["character-service", "appended", ..] => summary.appended.extend(id()),
        [who, "handled", ..] if who.starts_with("memory-service") => {
            if let Some(id) = id() {
                summary
                    .memory
                    .entry(id)
                    .or_default()
                    .push((*who).to_owned());
            }
        }
        ["story-engine", "handled", ..] => summary.stories.extend(id()),
        [who, ..]
            if who.contains("-service")
                || who.ends_with("-engine")
                || who.ends_with("-manager") => {}
        _ => return false,
    }
    true
}

/// Starts every service as a child process (`launch` makes the command that runs this program
/// with the given arguments), runs the flow, waits for it (at most a minute), stops the
/// children and returns what happened. The streams and the schema are removed unless
/// `settings.keep`.
pub async fn run_all(
    settings: &Settings,
    launch: &dyn Fn(&[String]) -> Command,
) -> Result<Summary, AnyError> {
    println!(
        "Catalog (JetStream stream) `{}`, PostgreSQL schema `{}`",
        settings.catalog, settings.schema
    );
    // The store's schema and the streams exist before any service starts.
    let store = open_store(settings).await?;
    let bus = connect_bus(settings).await?;
    let (sender, mut lines) = mpsc::unbounded_channel();
    let mut summary = Summary::default();
    let mut children = Vec::new();
    let outcome = async {
        let with = |service: &str, extra: &[&str]| {
            let mut args = vec![service.to_owned()];
            args.extend(settings.service_args());
            args.extend(extra.iter().map(|arg| (*arg).to_owned()));
            args
        };
        let subscribers = [
            with("memory-service", &["--instance", "1"]),
            with("memory-service", &["--instance", "2"]),
            with("story-engine", &[]),
            with("campaign-manager", &[]),
        ];
        let count = subscribers.len();
        for args in subscribers {
            children.push(start(launch, args, &sender)?);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut ready = 0;
        while ready < count {
            let line = tokio::time::timeout_at(deadline.into(), lines.recv())
                .await
                .map_err(|_| "the subscribers did not start within a minute")?
                .ok_or("the subscribers' output closed")?;
            if record(&line, &mut summary, &mut ready) {
                println!("{line}");
            }
        }
        let mut character = start(launch, with("character-service", &[]), &sender)?;
        let status = tokio::task::spawn_blocking(move || character.child.wait()).await??;
        if !status.success() {
            return Err(format!("the Character Service failed ({status})").into());
        }
        loop {
            while let Ok(line) = lines.try_recv() {
                if record(&line, &mut summary, &mut ready) {
                    println!("{line}");
                }
            }
            let memory_done = !summary.appended.is_empty()
                && summary
                    .appended
                    .iter()
                    .all(|id| summary.memory.contains_key(id));
            let letters = bus.dead_letters().count().await?;
            let projected = store.load_checkpoint(CampaignRoster::NAME).await?;
            let end = store.last_position().await?;
            if memory_done && letters >= 1 && projected >= end {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the flow did not finish within a minute: memory done {memory_done}, \
                     {letters} dead letters, roster at {projected} of {end}"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A moment more, so that a duplicate would show.
        tokio::time::sleep(Duration::from_millis(500)).await;
        while let Ok(line) = lines.try_recv() {
            if record(&line, &mut summary, &mut ready) {
                println!("{line}");
            }
        }
        Ok::<_, AnyError>(())
    }
    .await;
    for child in children {
        child.stop();
    }
    while let Ok(line) = lines.try_recv() {
        let mut ready = 0;
        if record(&line, &mut summary, &mut ready) {
            println!("{line}");
        }
    }
    let gathered = async {
        outcome?;
        for letter in bus.dead_letters().list().await? {
            summary.dead_letters.push(Letter {
                subscriber: letter.subscriber.clone(),
                event_id: letter.event_id(),
                error: letter.error.clone(),
            });
        }
        summary.projected = store.load_checkpoint(CampaignRoster::NAME).await?;
        let mut connection = PgConnection::connect(&settings.postgres).await?;
        let select = format!(
            "SELECT character_type, characters FROM {} ORDER BY character_type",
            CampaignRoster::new(&settings.schema).table
        );
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(select))
            .fetch_all(&mut connection)
            .await?;
        summary.roster = rows.into_iter().collect();
        connection.close().await?;
        Ok::<_, AnyError>(())
    }
    .await;
    if !settings.keep {
        clean_up(settings, &bus).await;
    }
    bus.shutdown(Duration::from_secs(2)).await;
    gathered?;
    Ok(summary)
}

/// Removes the run's streams and schema.
async fn clean_up(settings: &Settings, bus: &JetStreamBus<AnyEvent>) {
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    for suffix in ["", "-reprocess", "-dead-letters", "-idempotency"] {
        let _ = jetstream
            .delete_stream(format!("{}{suffix}", settings.catalog))
            .await;
    }
    if let Ok(mut connection) = PgConnection::connect(&settings.postgres).await {
        let drop = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", settings.schema);
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut connection)
            .await;
        let _ = connection.close().await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (service, settings) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("{error}\n\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(service, &settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs what the command line asked for.
async fn run(service: Role, settings: &Settings) -> Result<(), AnyError> {
    if service != Role::RunAll {
        return run_service(service, settings).await;
    }
    let program = std::env::current_exe()?;
    let summary = run_all(settings, &|args| {
        let mut command = Command::new(&program);
        command.args(args);
        command
    })
    .await?;
    println!("\n{summary}");
    if settings.keep {
        println!(
            "\nKept: stream `{}` and schema `{}`.",
            settings.catalog, settings.schema
        );
    }
    Ok(())
}
