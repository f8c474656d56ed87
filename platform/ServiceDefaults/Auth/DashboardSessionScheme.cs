namespace Mep.ServiceDefaults.Auth;

/// <summary>
/// The cookie session an admin opens for a service's jobs dashboard (issued in <c>Mep.Jobs</c>). Its names live here, with the
/// other authentication schemes, because the OpenAPI document describes every scheme and must not depend on the jobs module.
/// </summary>
public static class DashboardSessionScheme
{
    public const string Name = "JobDashboardSession";
    public const string CookieName = "mep_jobs_session";
}
