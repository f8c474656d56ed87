extern alias schools;

using Mep.ServiceDefaults.Auth;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>
/// The identity provider and one platform service (Schools, trusting the provider) behind the real edge of ./mep up, with a staff
/// member, a person of several roles and a school's IT contact. Two schools exist before anyone signs in: the contact's own and
/// another one.
/// </summary>
public sealed class IdentityPlatform : IAsyncLifetime
{
    public const string Password = "Richtig-2026!";

    public static readonly Person Agent = new("anna", "Anna Agentin", "anna@stadt.example", [PlatformRoles.Agent]);
    public static readonly Person PlannerAndFinance = new("paul", "Paul Planer", "paul@stadt.example", [PlatformRoles.Planner, PlatformRoles.Finance]);
    public static readonly Person SchoolContact = new("schul-it", "Sabine Schul-IT", "it@schule.example", [PlatformRoles.School]);

    /// <summary>Only for the throttle's test: its failures must not lock anyone else out.</summary>
    public static readonly Person Guessed = new("geraten", "Gerd Geraten", "gerd@stadt.example", [PlatformRoles.Agent]);

    private TrustingServiceHost<schools::Program>? _schools;
    private IdentityHost? _identity;
    private EdgeProxy? _edge;

    public Uri Edge => _edge!.Address;

    public IdentityHost Identity => _identity!;

    public TrustingServiceHost<schools::Program> Schools => _schools!;

    public Guid OwnSchool { get; private set; }

    public Guid OtherSchool { get; private set; }

    public SignInClient NewBrowser() => new(Edge);

    public async Task InitializeAsync()
    {
        // The issuer is the edge's address, so the edge's port is chosen first and the edge started last, once it can route to both.
        var port = EdgeProxy.FreePort();
        var edge = new Uri($"http://127.0.0.1:{port}/");
        _schools = await TrustingServiceHost.StartAsync<schools::Program>("identityschools", new Uri(edge, "/identity/"));
        // Arranged with a local test token, straight at the service: nobody has signed in yet.
        using var planner = new HttpClient { BaseAddress = _schools.Address };
        planner.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(PlatformRoles.Planner));
        OwnSchool = await planner.RegisterSchoolAsync();
        OtherSchool = await planner.RegisterSchoolAsync();

        var settings = SignInClient.ClientSettings(edge);
        var people = new[] { Agent, PlannerAndFinance, SchoolContact with { SchoolId = OwnSchool }, Guessed };
        for (var index = 0; index < people.Length; index++)
        {
            foreach (var (key, value) in people[index].Settings(index, Password))
            {
                settings[key] = value;
            }
        }

        _identity = await IdentityHost.StartAsync(nameof(IdentityPlatform), edge, settings);
        _edge = await EdgeProxy.StartAsync(new Dictionary<string, Uri>(StringComparer.Ordinal)
        {
            ["identity"] = _identity.Address,
            ["schools"] = _schools.Address,
        }, port);
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }

        if (_schools is not null)
        {
            await ((IAsyncDisposable)_schools).DisposeAsync();
        }
    }

    public sealed record Person(string UserName, string Name, string Email, string[] Roles, Guid? SchoolId = null)
    {
        public IEnumerable<KeyValuePair<string, string?>> Settings(int index, string password)
        {
            var prefix = $"Identity:People:{index}:";
            yield return new(prefix + "UserName", UserName);
            yield return new(prefix + "Password", password);
            yield return new(prefix + "Name", Name);
            yield return new(prefix + "Email", Email);
            for (var role = 0; role < Roles.Length; role++)
            {
                yield return new($"{prefix}Roles:{role}", Roles[role]);
            }

            if (SchoolId is { } schoolId)
            {
                yield return new(prefix + "SchoolId", schoolId.ToString());
            }
        }
    }
}
