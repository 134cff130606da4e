using System.Text;
using Microsoft.AspNetCore.Http;

namespace PodLogs.TestKubeApi;

/// <summary>
/// Every request's way through the server: authenticate, record, apply injected faults, then
/// 401 or the router's answer. <paramref name="stopping"/> ends injected delays when the server
/// shuts down, dropping their connections as a server going away does.
/// </summary>
internal sealed class ApiRequestHandler(Authenticator authenticator, FaultRules faults, ApiRouter router, Action<RecordedRequest> record, Action<RecordedRequest>? completed, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        var query = http.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var user = authenticator.Authenticate(context.Connection.ClientCertificate, http.Headers.Authorization.ToString());
        var request = new RecordedRequest(http.Method, http.Path.Value ?? "/", http.QueryString.Value ?? "", query, user?.Name);
        record(request);
        try
        {
            foreach (var fault in faults.For(request))
            {
                switch (fault)
                {
                    case DelayFault delay:
                        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                            await Task.Delay(delay.Duration, wait.Token);
                        break;
                    case CloseConnectionFault:
                        request.Closed();
                        completed?.Invoke(request);
                        context.Abort();
                        return;
                    case StatusFault status:
                        await AnswerAsync(context, request, ApiStatus.Injected(status.StatusCode, status.RetryAfter));
                        return;
                }
            }
            var response = user is null ? ApiStatus.Unauthorized() : router.Handle(http.Method, request.Path, query, user);
            await AnswerAsync(context, request, response);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            if (request.StatusCode is not null) return;
            request.Disconnected();
            completed?.Invoke(request);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            request.Closed();
            completed?.Invoke(request);
            context.Abort();
        }
    }

    // The outcome is recorded before the body goes out, so a client that has its answer also finds
    // it in the record.
    async Task AnswerAsync(HttpContext context, RecordedRequest request, ApiResponse response)
    {
        request.Answered(response.StatusCode);
        completed?.Invoke(request);
        var http = context.Response;
        http.StatusCode = response.StatusCode;
        http.ContentType = "application/json";
        http.Headers.CacheControl = "no-cache, private";
        foreach (var (name, value) in response.Headers) http.Headers[name] = value;
        var body = Encoding.UTF8.GetBytes(response.Body);
        http.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await http.Body.WriteAsync(body, context.RequestAborted);
    }
}
