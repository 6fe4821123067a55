@echo off
rem mvnw.cmd: runs this project's build with the Maven on PATH (3.6.3 or newer).
rem The parent pom pins every plugin version, so any such Maven gives the same build.
where mvn >nul 2>nul
if errorlevel 1 (
  echo mvnw: Maven is not installed: install Maven 3.6.3 or newer and put its bin folder on PATH 1>&2
  exit /b 1
)
pushd "%~dp0"
call mvn %*
set STATUS=%ERRORLEVEL%
popd
exit /b %STATUS%
