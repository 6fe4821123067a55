@echo off
rem ClassTop client agent: connects this computer to a ClassTop server.
rem   classtop-agent.bat --server http://HOST:PORT [--name NAME] [--data DIR] [--token TOKEN] ...
rem Environment: JAVA_HOME (else java on PATH), JAVA_OPTS and CLASSTOP_JAVA_OPTS (extra JVM options),
rem plus the CLASSTOP_AGENT_* variables of each flag (see conf\agent.properties).
setlocal

set "CLASSTOP_HOME=%~dp0.."
for %%I in ("%CLASSTOP_HOME%") do set "CLASSTOP_HOME=%%~fI"

set "JAVACMD=java"
if not defined JAVA_HOME goto haveJava
set "JAVACMD=%JAVA_HOME%\bin\java.exe"
if exist "%JAVACMD%" goto haveJava
echo classtop-agent: JAVA_HOME is set to "%JAVA_HOME%" but "%JAVACMD%" does not exist 1>&2
exit /b 1

:haveJava
rem The Serial collector and a small first heap, as bin/classtop-agent: unless the options choose a collector
rem (the JVM refuses two), the agent runs no concurrent GC threads next to the user's programs.
set "COLLECTOR=-XX:+UseSerialGC"
echo. %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% | findstr /R /C:"-XX:+Use[A-Za-z0-9]*GC" >nul && set "COLLECTOR="
"%JAVACMD%" "-Dclasstop.home=%CLASSTOP_HOME%" -Dclasstop.log.name=classtop-agent %COLLECTOR% -Xms16m "-Dlogback.configurationFile=%CLASSTOP_HOME%\conf\logback.xml" %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% -cp "%CLASSTOP_HOME%\lib\*" org.classtop.agent.Main %*
exit /b %ERRORLEVEL%
