export { PatientsModule } from './patients.module';
